export * from './input/index.js';
export * from './output/index.js';
export * from './batch/index.js';
export * from './errors.js';
export * from './types.js';
export * from './detect/index.js';
export * from './mesh/index.js';
export * from './models/index.js';
