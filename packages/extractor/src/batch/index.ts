export * from './run-batch.js';
