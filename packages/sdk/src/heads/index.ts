export {
  HeadKind,
  type HeadManifestEntry,
  type HeadsManifest,
  parseHeadsManifest,
} from './heads-manifest.js';
export {
  DEFAULT_HEADS_DIR,
  type ExpressionResult,
  type FaceIdentity,
  type IdentitySource,
  ReceiverHeads,
  type ReceiverHeadsOptions,
  type VerifyResult,
  vectorDistance,
} from './receiver-heads.js';
export { type Understanding, understandingHead } from './room-head.js';
