export * from './emotion-crop.js';
export * from './emotion-teacher.js';
export * from './expression-refiner.js';
export { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
export * from './emotion-smoother.js';
