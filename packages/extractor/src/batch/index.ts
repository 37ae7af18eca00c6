export * from './run-batch.js';
export * from './descriptor-job.js';
