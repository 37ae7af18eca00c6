export * from './descriptor/layout.js';
export * from './wire.js';
export { type CdfJson, type CdfTable, cdfTableFromJson } from './entropy/cdf-table.js';
export type { LatentFrameDecoder, LatentFrameEncoder } from './entropy/latent-coder.js';
export { FactorizedDecoder, FactorizedEncoder } from './entropy/factorized-coder.js';
export { PpmDecoder, PpmEncoder } from './entropy/ppm-coder.js';
export { MAX_LATENT_MAGNITUDE, toSigned, toUnsigned } from './entropy/signed-map.js';
export { dequantize, quantize } from './quant/quantize.js';
export {
  coderIsAdaptive,
  createLatentDecoder,
  createLatentEncoder,
  createStreamLatentDecoder,
} from './codec/latent-coders.js';
export { resolveStreamModel } from './codec/stream-model.js';
export {
  type CdfResolver,
  type DecodedLatentFile,
  decodeLatentFile,
  encodeLatentFile,
} from './codec/latent-file.js';
export {
  type DecodedLatentFrame,
  LatentStreamDecoder,
  LatentStreamEncoder,
  type LatentStreamOptions,
} from './codec/latent-stream.js';
export type { ModelFiles, ModelManifest, ModelManifestEntry } from './models/manifest.js';
export { parseManifest } from './models/manifest.js';
export { DEFAULT_MODELS_DIR, ModelStore, type ModelSessions, fileModelSource } from './models/model-store.js';
export { type CatalogContents, ModelCatalog } from './models/model-catalog.js';
export { type ModelSource, fetchModelSource, webCryptoSha256 } from './models/model-source.js';
export type { OnnxRuntime, OnnxRuntimeLoader } from './models/onnx-runtime.js';
export {
  type CodecOptions,
  type DecodedDescriptorFrame,
  type DecodedDescriptors,
  DescriptorStreamDecoder,
  DescriptorStreamEncoder,
  type EncodeOptions,
  SemfaceCodec,
} from './codec/semface-codec.js';
export {
  DEFAULT_BATCH_SIZE,
  type PortableCodecOptions,
  PortableSemfaceCodec,
} from './codec/portable-codec.js';
export {
  TEMPORAL_PACKET_KINDS,
  MOTION_STEP_UNIT,
  TEMPORAL_SEQUENCE_MODULO,
  TEMPORAL_TRANSFORM_VERSION,
  TEMPORAL_VERSION,
  type TemporalPacketKind,
  TemporalPacketType,
} from './temporal/constants.js';
export { type IdentityLayer, decodeIdentityLayer, encodeIdentityLayer } from './temporal/identity-layer.js';
export * from './identity-code/index.js';
export {
  type DecodedTemporalLatents,
  type DeltaOptions,
  TemporalLatentDecoder,
  TemporalLatentEncoder,
  type TemporalLatentFrame,
} from './temporal/latent-temporal-stream.js';
export {
  MOTION_TRANSFORM_FORMAT,
  MotionTransform,
  builtinMotionTransform,
  motionTransformById,
  parseMotionTransform,
} from './temporal/motion-transform.js';
export { RateController, type RateControlSettings } from './temporal/rate-controller.js';
export { StepController, type StepControlSettings, stepUnitsOf } from './temporal/step-controller.js';
export { ResidualDecoder, ResidualEncoder } from './temporal/residual-coder.js';
export {
  type TemporalKeyHeader,
  type TemporalPacket,
  parseTemporalPacket,
  writeTemporalPacket,
} from './temporal/temporal-packet.js';
export {
  MOTION_LAYERS,
  type MotionLayerName,
  type TemporalDecodedFrame,
  type TemporalEncodedFrame,
  TemporalStreamDecoder,
  TemporalStreamEncoder,
  type TemporalStreamOptions,
} from './temporal/temporal-stream.js';
