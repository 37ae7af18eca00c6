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
export { DEFAULT_MODELS_DIR, ModelStore, fileModelSource, loadOnnxNode } from './models/model-store.js';
export { type CatalogContents, ModelCatalog, type ModelSessions } from './models/model-catalog.js';
export * from './models/model-runtime.js';
export { webCryptoSha256 } from './models/sha256.js';
export {
  type CodecOptions,
  type DecodedDescriptors,
  type EncodeOptions,
  SemfaceCodec,
} from './codec/semface-codec.js';
export * from './codec/face-stream.js';
export type { IntraStreamOptions } from './codec/intra-stream.js';
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
  type TaskLabel,
  type TemporalStreamOptions,
} from './temporal/temporal-stream.js';
