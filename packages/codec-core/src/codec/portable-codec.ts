import type { CoderName } from '../bitstream/constants.js';
import { CODER_NAMES } from '../bitstream/constants.js';
import type { StreamParams } from '../bitstream/stream-params.js';
import {
  DESCRIPTOR_LENGTH,
  PROFILE_NAMES,
  type ProfileName,
  profileCovers,
  profileIndices,
} from '../descriptor/layout.js';
import { InvalidDescriptorError } from '../errors.js';
import { dequantize, quantize } from '../quant/quantize.js';
import type { ModelCatalog } from '../models/model-catalog.js';
import { runBatched } from '../models/model-runtime.js';
import type { ModelManifestEntry } from '../models/manifest.js';
import {
  DEFAULT_STREAM_CODING,
  type FaceStreamDecoder,
  type FaceStreamEncoder,
  type FaceStreamOptions,
  STREAM_CODINGS,
  type StreamCoding,
  type StreamCodingName,
  type StreamCodings,
} from './face-stream.js';
import { decodeLatentFile, encodeLatentFile } from './latent-file.js';
import { modelForStream } from './stream-model.js';

/** Options of {@link PortableSemfaceCodec.fromModels}. */
export interface PortableCodecOptions {
  /** Most descriptors per ONNX run. Default 4096. Unit: descriptors. */
  readonly batchSize?: number;
  /** Stream codings by name. Default {@link STREAM_CODINGS}. */
  readonly codings?: StreamCodings;
}

/** Defaults of {@link PortableCodecOptions}. */
export const DEFAULT_BATCH_SIZE = 4096;

/** What to encode with. */
export interface EncodeOptions {
  /** Descriptor fields to carry. Default 'full'. */
  readonly profile?: ProfileName;
  /**
   * Profile of the model that codes them: `profile` itself (default) or one that covers it, e.g. 'full'
   * to send only the identity fields through a full model without a model trained for them. Fields
   * outside `profile` are fed to the model as 0 and decode as 0.
   */
  readonly modelProfile?: ProfileName;
  /** Model rate index (0 = lowest rate). Default 0. */
  readonly rateIndex?: number;
  /** Entropy back-end. Default 'rans'. */
  readonly coder?: CoderName;
}

const DEFAULT_ENCODE_OPTIONS = Object.freeze({
  profile: 'full' as ProfileName,
  rateIndex: 0,
  coder: 'rans' as CoderName,
});

type ResolvedEncodeOptions = Required<Omit<EncodeOptions, 'modelProfile'>> & { modelProfile: ProfileName };

/** Descriptors decoded from a batch file. */
export interface DecodedDescriptors {
  readonly params: StreamParams;
  /** One 257-D descriptor per frame; fields outside the profile are 0. */
  readonly descriptors: Float32Array[];
  /** Entropy-coded bytes of each frame. */
  readonly payloadBytes: number[];
  /** File bytes that are not payload (header, length table, CRC). */
  readonly overheadBytes: number;
}

/** Validates a batch size (TypeError / RangeError). */
export function checkBatchSize(batchSize: unknown): number {
  if (!Number.isInteger(batchSize)) throw new TypeError('batchSize must be an integer');
  if ((batchSize as number) < 1) throw new RangeError('batchSize must be >= 1');
  return batchSize as number;
}

function resolveEncodeOptions(options: EncodeOptions): ResolvedEncodeOptions {
  const o = { ...DEFAULT_ENCODE_OPTIONS, ...options };
  const modelProfile = o.modelProfile ?? o.profile;
  if (!PROFILE_NAMES.includes(o.profile)) throw new RangeError(`unknown profile '${String(o.profile)}'`);
  if (!PROFILE_NAMES.includes(modelProfile))
    throw new RangeError(`unknown modelProfile '${String(modelProfile)}'`);
  if (!profileCovers(modelProfile, o.profile)) {
    throw new RangeError(`a '${modelProfile}' model cannot carry the '${o.profile}' profile`);
  }
  if (!CODER_NAMES.includes(o.coder)) throw new RangeError(`unknown coder '${String(o.coder)}'`);
  if (!Number.isInteger(o.rateIndex)) throw new TypeError('rateIndex must be an integer');
  return { ...o, modelProfile };
}

// analyse/synthesise run once per streamed frame: build each (model, carried) mask once.
const carriedMasks = new Map<string, Uint8Array>();

/** Per value of `model`'s profile vector: 1 where `carried` has it. */
function carriedMask(model: ProfileName, carried: ProfileName): Uint8Array {
  const key = `${model}/${carried}`;
  let mask = carriedMasks.get(key);
  if (mask === undefined) {
    if (!profileCovers(model, carried)) {
      throw new RangeError(`a '${model}' model cannot carry the '${carried}' profile`);
    }
    const wanted = new Set(profileIndices(carried));
    mask = Uint8Array.from(profileIndices(model), (i) => (wanted.has(i) ? 1 : 0));
    carriedMasks.set(key, mask);
  }
  return mask;
}

/** Splits and validates input descriptors into one N x 257 array. */
function packDescriptors(input: readonly Float32Array[] | Float32Array): {
  data: Float32Array;
  count: number;
} {
  let data: Float32Array;
  if (input instanceof Float32Array) {
    if (input.length % DESCRIPTOR_LENGTH !== 0) {
      throw new InvalidDescriptorError(
        `flat input length ${input.length} is not a multiple of ${DESCRIPTOR_LENGTH}`,
      );
    }
    data = input;
  } else {
    data = new Float32Array(input.length * DESCRIPTOR_LENGTH);
    input.forEach((d, i) => {
      if (!(d instanceof Float32Array) || d.length !== DESCRIPTOR_LENGTH) {
        throw new InvalidDescriptorError(
          `descriptor ${i} must be a Float32Array of length ${DESCRIPTOR_LENGTH}`,
        );
      }
      data.set(d, i * DESCRIPTOR_LENGTH);
    });
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new InvalidDescriptorError(
        `descriptor ${Math.floor(i / DESCRIPTOR_LENGTH)} value ${i % DESCRIPTOR_LENGTH} is not finite`,
      );
    }
  }
  return { data, count: data.length / DESCRIPTOR_LENGTH };
}

/**
 * Descriptor codec: GDN analysis (ONNX) -> quantisation -> entropy coding -> bitstream v1, and back.
 * ONNX sessions are created once per model and reused. Free of Node APIs: the models and the ONNX
 * runtime come from a {@link ModelCatalog} (in Node, `SemfaceCodec.load` reads a folder and runs
 * onnxruntime-node; in browsers, `fetchModelSource` + onnxruntime-web).
 */
export class PortableSemfaceCodec {
  protected constructor(
    /** The loaded models. */
    readonly store: ModelCatalog,
    private readonly batchSize: number,
    private readonly codings: StreamCodings = STREAM_CODINGS,
  ) {}

  /** A codec over loaded models; ONNX sessions are created on first use. */
  static fromModels(store: ModelCatalog, options: PortableCodecOptions = {}): PortableSemfaceCodec {
    const batchSize = checkBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE);
    return new PortableSemfaceCodec(store, batchSize, options.codings);
  }

  /** Stream params for encoding with these options (throws RangeError if no model fits). */
  paramsFor(options: EncodeOptions = {}): StreamParams {
    const o = resolveEncodeOptions(options);
    const m = this.store.find(o.modelProfile, o.rateIndex);
    return {
      modelId: m.id,
      profile: o.profile,
      rateIndex: m.rateIndex,
      coder: o.coder,
      latentDim: m.latentDim,
    };
  }

  /**
   * Runs analysis + quantisation: 257-D descriptors -> integer latents, one Int32Array per descriptor.
   * `carried` (default: the model's profile) is the profile sent; the model sees 0 outside it.
   */
  async analyse(
    descriptors: readonly Float32Array[] | Float32Array,
    model: ModelManifestEntry,
    carried: ProfileName = model.profile,
  ): Promise<Int32Array[]> {
    const { data, count } = packDescriptors(descriptors);
    const idx = profileIndices(model.profile);
    const keep = carriedMask(model.profile, carried);
    const d = idx.length;
    const x = new Float32Array(count * d);
    for (let n = 0; n < count; n++) {
      const base = n * DESCRIPTOR_LENGTH;
      for (let i = 0; i < d; i++) if (keep[i]) x[n * d + i] = data[base + idx[i]!]!;
    }
    const { analysis } = await this.store.sessionsFor(model.id);
    const y = await runBatched(
      await this.store.runtime(),
      analysis,
      x,
      count,
      d,
      model.latentDim,
      this.batchSize,
    );
    const q = quantize(y, new Int32Array(y.length));
    const out: Int32Array[] = [];
    for (let n = 0; n < count; n++) out.push(q.subarray(n * model.latentDim, (n + 1) * model.latentDim));
    return out;
  }

  /**
   * Runs dequantisation + synthesis: integer latents -> 257-D descriptors. Fields outside `carried`
   * (default: the model's profile) are 0.
   */
  async synthesise(
    latents: readonly Int32Array[],
    model: ModelManifestEntry,
    carried: ProfileName = model.profile,
  ): Promise<Float32Array[]> {
    const k = model.latentDim;
    const y = new Float32Array(latents.length * k);
    latents.forEach((l, n) => dequantize(l, y.subarray(n * k, (n + 1) * k)));
    const idx = profileIndices(model.profile);
    const keep = carriedMask(model.profile, carried);
    const d = idx.length;
    const { synthesis } = await this.store.sessionsFor(model.id);
    const x = await runBatched(
      await this.store.runtime(),
      synthesis,
      y,
      latents.length,
      k,
      d,
      this.batchSize,
    );
    // One allocation for all rows; each descriptor is a view into it.
    const all = new Float32Array(latents.length * DESCRIPTOR_LENGTH);
    return latents.map((_, n) => {
      const out = all.subarray(n * DESCRIPTOR_LENGTH, (n + 1) * DESCRIPTOR_LENGTH);
      for (let i = 0; i < d; i++) if (keep[i]) out[idx[i]!] = x[n * d + i]!;
      return out;
    });
  }

  /** Encodes 257-D descriptors (array, or one flat N x 257 array) into one batch file. */
  async encode(
    descriptors: readonly Float32Array[] | Float32Array,
    options: EncodeOptions = {},
  ): Promise<Uint8Array> {
    const params = this.paramsFor(options);
    const model = this.store.byId(params.modelId);
    const latents = await this.analyse(descriptors, model, params.profile);
    return encodeLatentFile(params, latents, this.store.cdf(model.id));
  }

  /** Decodes a batch file. Malformed input throws CodecError subclasses only. */
  async decode(bytes: Uint8Array): Promise<DecodedDescriptors> {
    const file = decodeLatentFile(bytes, (id) => this.store.cdf(id));
    const model = modelForStream(this.store, file.params);
    const descriptors = await this.synthesise(file.frames, model, file.params.profile);
    return {
      params: file.params,
      descriptors,
      payloadBytes: file.payloadBytes,
      overheadBytes: file.overheadBytes,
    };
  }

  /** True when this codec has the models `coding` needs (temporal: expression and identity models). */
  supportsCoding(coding: string): boolean {
    return Object.hasOwn(this.codings, coding) && this.codings[coding]!.supports(this);
  }

  /** A frame-at-a-time encoder of one stream; `options.coding` picks the coding (default intra). */
  createStreamEncoder(options: FaceStreamOptions = {}): FaceStreamEncoder {
    const { coding = DEFAULT_STREAM_CODING, ...rest } = options;
    return this.coding(coding).createEncoder(this, rest);
  }

  /** A frame-at-a-time decoder of one stream coded with `coding` (default intra). */
  createStreamDecoder(coding: StreamCodingName = DEFAULT_STREAM_CODING): FaceStreamDecoder {
    return this.coding(coding).createDecoder(this);
  }

  private coding(name: string): StreamCoding {
    if (!Object.hasOwn(this.codings, name)) throw new RangeError(`unknown stream coding '${String(name)}'`);
    return this.codings[name]!;
  }
}
