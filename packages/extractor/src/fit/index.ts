export {
  DEFAULT_FACE_FITTER_OPTIONS,
  DEFAULT_FRAME_SIZE,
  FaceFitter,
  type FaceFitterOptions,
  type FrameSize,
  type ReconstructedMesh,
} from './face-fitter.js';
export { DEFAULT_FACE_MODEL_DIR, FaceModel, type FaceModelArrays } from './face-model.js';
export {
  FACE_MODEL_FILES,
  FACE_MODEL_FORMAT,
  FACE_MODEL_VERSION,
  type FaceModelBlockInfo,
  type FaceModelHeader,
  type FaceModelLandmarks,
} from './face-model-format.js';
export { mirrorMap } from './mirror-map.js';
export { rasterizeMesh } from './rasterize.js';
export { anglesFromRotation, rotationFromAngles } from './rotation.js';
export { createSyntheticFaceModel } from './synthetic-face-model.js';
