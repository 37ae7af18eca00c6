export {
  DEFAULT_FACE_FITTER_OPTIONS,
  DEFAULT_FACE_MODEL_DIR,
  FaceFitter,
  type FaceFitterOptions,
} from './face-fitter.js';
export type { FrameSize } from '@semface/face-model';
export { rasterizeMesh } from './rasterize.js';
export { createSyntheticFaceModel } from './synthetic-face-model.js';
