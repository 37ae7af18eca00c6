export * from './errors.js';
export * from './format.js';
export { FaceModel, type FaceModelArrays } from './face-model.js';
export * from './geometry.js';
export * from './mesh.js';
export * from './mirror.js';
