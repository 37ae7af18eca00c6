export { FaceEmbedder, type FaceRegion } from './face-embedder.js';
export {
  FACE_EMBEDDER_DEFAULTS,
  FACE_RECOGNITION_MODEL_FILE,
  type FaceEmbedderOptions,
} from './face-embedder-options.js';
export { ALIGNMENT_MESH_POINTS, alignedFaceBox } from './face-alignment.js';
export { EMBED_INPUT_SIZE } from './net-input.js';
export {
  FACE_DESCRIPTOR_SIZE,
  SAME_PERSON_DISTANCE,
  descriptorDistance,
  isSamePerson,
} from './descriptor-distance.js';
