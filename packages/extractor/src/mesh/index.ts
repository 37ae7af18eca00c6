export {
  FaceMeshDetector,
  type DetectOptions,
  type MeshFromBoxOptions,
} from './face-mesh-detector.js';
export { FACE_MESH_DETECTOR_DEFAULTS, type FaceMeshDetectorOptions } from './face-mesh-options.js';
export { LEFT_IRIS_START, RIGHT_IRIS_START } from './mesh-topology.js';
