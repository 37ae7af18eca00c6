/**
 * The Node-free part of codec-core, importable as `@semface/codec-core/portable`: the descriptor
 * layout, bitstream v1, the codec ({@link PortableSemfaceCodec}) and its stream encoders/decoders (intra and temporal),
 * with models read and run by the {@link ModelRuntime} (a {@link ModelSource} such as `fetchModelSource`, an
 * injected {@link OnnxRuntime} such as onnxruntime-web). No `node:*` module and no onnxruntime-node is loaded.
 */
export * from './descriptor/layout.js';
export * from './wire.js';
export { type ModelSessions, type CatalogContents, ModelCatalog } from './models/model-catalog.js';
export type { ModelManifest, ModelManifestEntry } from './models/manifest.js';
export * from './models/model-runtime.js';
export { webCryptoSha256 } from './models/sha256.js';
export {
  DEFAULT_BATCH_SIZE,
  type EncodeOptions,
  type PortableCodecOptions,
  PortableSemfaceCodec,
} from './codec/portable-codec.js';
export * from './codec/face-stream.js';
export type { IntraStreamOptions } from './codec/intra-stream.js';
export {
  MOTION_LAYERS,
  type MotionLayerName,
  type TaskLabel,
  type TemporalStreamOptions,
} from './temporal/temporal-stream.js';
export * from './identity-code/model.js';
export * from './identity-code/codec.js';
