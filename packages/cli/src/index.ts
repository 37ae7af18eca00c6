export type { Command } from './command.js';
export { main } from './main.js';
