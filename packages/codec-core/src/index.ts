export * from './descriptor/layout.js';
