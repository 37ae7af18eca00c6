import { DEFAULT_MODELS_DIR, ModelStore } from '../models/model-store.js';
import type { StreamCodings } from './face-stream.js';
import { PortableSemfaceCodec, checkBatchSize, DEFAULT_BATCH_SIZE } from './portable-codec.js';

export type { DecodedDescriptors, EncodeOptions } from './portable-codec.js';

/** Options of {@link SemfaceCodec.load}. */
export interface CodecOptions {
  /** Folder with manifest.json and model folders. Default: the models shipped with codec-core. */
  readonly modelsDir?: string;
  /** Most descriptors per ONNX run. Default 4096. Unit: descriptors. */
  readonly batchSize?: number;
  /** Stream codings by name. Default `STREAM_CODINGS`. */
  readonly codings?: StreamCodings;
}

const DEFAULT_CODEC_OPTIONS = Object.freeze({ modelsDir: DEFAULT_MODELS_DIR, batchSize: DEFAULT_BATCH_SIZE });

/**
 * Descriptor codec: GDN analysis (ONNX) -> quantisation -> entropy coding -> bitstream v1, and back,
 * with models read from a folder and onnxruntime-node (Node). ONNX sessions are created once per model
 * and reused. Browsers use {@link PortableSemfaceCodec} (same codec, injected models and runtime).
 */
export class SemfaceCodec extends PortableSemfaceCodec {
  /** Loads the model manifest and CDF tables; ONNX sessions are created on first use. */
  static async load(options: CodecOptions = {}): Promise<SemfaceCodec> {
    const o = { ...DEFAULT_CODEC_OPTIONS, ...options };
    if (typeof o.modelsDir !== 'string') throw new TypeError('modelsDir must be a string');
    const batchSize = checkBatchSize(o.batchSize);
    return new SemfaceCodec(await ModelStore.open(o.modelsDir), batchSize, o.codings);
  }
}
