export {
  FaceMeshDetector,
  type DetectOptions,
  type MeshFromBoxOptions,
  type TrackOptions,
} from './face-mesh-detector.js';
export {
  FACE_MESH_DETECTOR_DEFAULTS,
  type FaceMeshDetectorInit,
  type FaceMeshDetectorOptions,
} from './face-mesh-options.js';
export { MeshStabilizer } from './mesh-stabilizer.js';
export {
  MESH_STABILIZER_DEFAULTS,
  type MeshStabilizerOptions,
  resolveMeshStabilizerOptions,
} from './mesh-stabilizer-options.js';
export { LEFT_IRIS_START, RIGHT_IRIS_START } from './mesh-topology.js';
