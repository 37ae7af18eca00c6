import { fileURLToPath } from 'node:url';
import { DEFAULT_HEADS_URL } from './receiver-heads.js';

export {
  HeadKind,
  type HeadManifestEntry,
  type HeadsManifest,
  parseHeadsManifest,
} from './heads-manifest.js';
export {
  type ExpressionResult,
  type FaceIdentity,
  type IdentitySource,
  ReceiverHeads,
  type ReceiverHeadsOptions,
  type VerifyResult,
  vectorDistance,
} from './receiver-heads.js';
export { type Understanding, understandingHead } from './room-head.js';

/** Folder of the heads shipped with the SDK (manifest.json + ONNX files). */
export const DEFAULT_HEADS_DIR = fileURLToPath(DEFAULT_HEADS_URL);
