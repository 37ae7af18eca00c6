export { DemoInputError, DemoModelsMissingError, ViewerError, ViewerMessageError } from './errors.js';
export type { FaceTopology, FaceTopologyJson } from './topology/face-topology.js';
export { FACE_VERTEX_COUNT, buildFaceTopology, normalizeMesh } from './topology/face-topology.js';
export { delaunay } from './topology/delaunay.js';
export { fallbackFaceModel } from './avatar/fallback-face-model.js';
export { PUBLIC_DIR, loadFaceTopology, onnxWebDist } from './web/public-dir.js';
export type { BinaryMessage } from './web/viewer-messages.js';
export { BinaryKind, decodeBinaryMessage, encodeBinaryMessage } from './web/viewer-messages.js';
export { PROCEDURAL_VRM_EXPRESSIONS, buildProceduralVrm } from './avatar/procedural-vrm.js';
