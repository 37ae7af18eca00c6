/**
 * The Node-free part of codec-core, importable as `@semface/codec-core/portable`: the descriptor
 * layout, bitstream v1, the codec ({@link PortableSemfaceCodec}) and the temporal stream decoder/encoder,
 * with models read through a {@link ModelSource} (e.g. `fetchModelSource`) and ONNX inference through an
 * injected {@link OnnxRuntime} (e.g. onnxruntime-web). No `node:*` module and no onnxruntime-node is loaded.
 */
export * from './descriptor/layout.js';
export * from './wire.js';
export { type ModelSessions, type CatalogContents, ModelCatalog } from './models/model-catalog.js';
export type { ModelManifest, ModelManifestEntry } from './models/manifest.js';
export { type ModelSource, fetchModelSource, webCryptoSha256 } from './models/model-source.js';
export type { OnnxRuntime, OnnxRuntimeLoader } from './models/onnx-runtime.js';
export {
  DEFAULT_BATCH_SIZE,
  type DecodedDescriptorFrame,
  DescriptorStreamDecoder,
  DescriptorStreamEncoder,
  type EncodeOptions,
  type PortableCodecOptions,
  PortableSemfaceCodec,
} from './codec/portable-codec.js';
export {
  MOTION_LAYERS,
  type MotionLayerName,
  type TemporalDecodedFrame,
  type TemporalEncodedFrame,
  TemporalStreamDecoder,
  TemporalStreamEncoder,
  type TemporalStreamOptions,
} from './temporal/temporal-stream.js';
export * from './identity-code/model.js';
export * from './identity-code/codec.js';
