export { type Demo, type DemoReport, startDemo } from './demo.js';
export {
  DEMO_DEFAULTS,
  type DemoOptions,
  type ResolvedDemoOptions,
  resolveDemoOptions,
} from './demo-options.js';
export type { DemoStats } from './stats/demo-stats.js';
export type { LatencySummary } from './stats/latency-recorder.js';
export {
  DemoInputError,
  DemoModelsMissingError,
  ViewerError,
  ViewerMessageError,
} from './errors.js';
export {
  type FaceTopology,
  FACE_VERTEX_COUNT,
  buildFaceTopology,
  normalizeMesh,
} from './topology/face-topology.js';
export { delaunay } from './topology/delaunay.js';
export { demoPhotoPaths } from './sources/demo-photos.js';
export { PUBLIC_DIR, loadFaceTopology } from './web/public-dir.js';
export { VIEWER_WS_PATH } from './web/viewer-server.js';
export { BinaryKind, decodeBinaryMessage, encodeBinaryMessage } from './web/viewer-messages.js';
export { PROCEDURAL_VRM_EXPRESSIONS, buildProceduralVrm } from './avatar/procedural-vrm.js';
