export type { Command } from './command.js';
export { main } from './main.js';
export { type Demo, type DemoReport, startDemo } from './demo/demo.js';
export { DEMO_DEFAULTS, type DemoOptions, type ResolvedDemoOptions } from './demo/demo-options.js';
