export * from './npy.js';
export * from './npy-stream.js';
export * from './sidecar.js';
