import { PROFILE_NAMES, type ProfileName } from '../descriptor/layout.js';
import { InvalidHeaderError } from '../errors.js';
import { CODER_NAMES, type CoderName, MAX_LATENT_DIM } from './constants.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { MODEL_ID_BYTES } from './constants.js';
import { isModelId, modelIdFromBytes, modelIdToBytes } from './model-id.js';

/** What a decoder must know before it can decode any frame; carried by file headers and frame packets. */
export interface StreamParams {
  /** 12-hex-digit id of the model (analysis, synthesis and CDFs) that produced the latents. */
  readonly modelId: string;
  /** Descriptor profile the stream carries: the model's own, or one it covers (fields outside it decode as 0). */
  readonly profile: ProfileName;
  /** Rate index of the model (0 = lowest rate), 0..255. */
  readonly rateIndex: number;
  /** Entropy back-end of the payloads. */
  readonly coder: CoderName;
  /** Integer latents per frame (the model's latent dimension), 1..4096. */
  readonly latentDim: number;
}

/** Validates params a caller passes to a writer (TypeError / RangeError for programming mistakes). */
export function assertStreamParams(p: StreamParams): void {
  if (typeof p.modelId !== 'string' || !isModelId(p.modelId)) {
    throw new TypeError(`modelId must be 12 lower-case hex digits, got '${String(p.modelId)}'`);
  }
  if (!PROFILE_NAMES.includes(p.profile)) throw new RangeError(`unknown profile '${String(p.profile)}'`);
  if (!CODER_NAMES.includes(p.coder)) throw new RangeError(`unknown coder '${String(p.coder)}'`);
  if (!Number.isInteger(p.rateIndex) || p.rateIndex < 0 || p.rateIndex > 255) {
    throw new RangeError(`rateIndex must be an integer in 0..255, got ${p.rateIndex}`);
  }
  if (!Number.isInteger(p.latentDim) || p.latentDim < 1 || p.latentDim > MAX_LATENT_DIM) {
    throw new RangeError(`latentDim must be an integer in 1..${MAX_LATENT_DIM}, got ${p.latentDim}`);
  }
}

/** Maps wire values read from a header to params, throwing {@link InvalidHeaderError} for unknown values. */
export function paramsFromWire(
  modelId: string,
  profileByte: number,
  rateIndex: number,
  coderByte: number,
  latentDim: number,
): StreamParams {
  const profile = PROFILE_NAMES[profileByte];
  if (profile === undefined) throw new InvalidHeaderError(`unknown profile value ${profileByte}`);
  const coder = CODER_NAMES[coderByte];
  if (coder === undefined) throw new InvalidHeaderError(`unknown coder value ${coderByte}`);
  if (latentDim < 1 || latentDim > MAX_LATENT_DIM) {
    throw new InvalidHeaderError(`latent dimension ${latentDim} outside 1..${MAX_LATENT_DIM}`);
  }
  return { modelId, profile, rateIndex, coder, latentDim };
}

/** Wire value of a profile. */
export function profileToWire(profile: ProfileName): number {
  return PROFILE_NAMES.indexOf(profile);
}

/** Wire value of a coder. */
export function coderToWire(coder: CoderName): number {
  return CODER_NAMES.indexOf(coder);
}

/** Raw values of a stream params block as read, before {@link paramsFromWire} checks them. */
export type StreamParamsWire = [
  modelId: string,
  profileByte: number,
  rateIndex: number,
  coderByte: number,
  latentDim: number,
];

/** Writes the stream params block (`STREAM_PARAMS_BYTES` bytes) shared by file headers and key frames. */
export function writeStreamParams(w: ByteWriter, params: StreamParams): void {
  w.raw(modelIdToBytes(params.modelId));
  w.u8(profileToWire(params.profile));
  w.u8(params.rateIndex);
  w.u8(coderToWire(params.coder));
  w.u16(params.latentDim);
}

/**
 * Reads a stream params block's raw values; callers map them with {@link paramsFromWire} only after
 * the CRC holds, so random corruption reports as a CRC error.
 */
export function readStreamParamsWire(r: ByteReader): StreamParamsWire {
  return [modelIdFromBytes(r.view(MODEL_ID_BYTES)), r.u8(), r.u8(), r.u8(), r.u16()];
}
