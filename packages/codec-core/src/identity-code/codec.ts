import {
  BitstreamTruncatedError,
  CorruptPayloadError,
  InvalidDescriptorError,
  InvalidHeaderError,
  UnknownModelIdError,
  UnsupportedVersionError,
} from '../errors.js';
import { IDENTITY_CODE_INPUT_SHIFT, type IdentityCodeModel } from './model.js';

/** Version byte of identity-code packets (docs/bitstream.md, "Identity code"). */
export const IDENTITY_CODE_VERSION = 1;
/** Header bytes: version u8, rate index u8, transform id u16 LE. */
export const IDENTITY_CODE_HEADER_BYTES = 4;

/** A decoded identity code. */
export interface DecodedIdentityCode {
  readonly modelId: number;
  readonly rateIndex: number;
  /** Payload bits (sum of bitsPerDim). */
  readonly bits: number;
  /** Quantisation level per coded dimension. */
  readonly levels: Uint8Array;
}

const SCALE = 2 ** IDENTITY_CODE_INPUT_SHIFT;

/**
 * The integer input of the transform: the embedding L2-normalised in float64 (sum of squares in index order,
 * then `Math.sqrt`), scaled by 2^15, rounded half up (`Math.floor(v + 0.5)`), minus the model's mean.
 * The Python reference (training/reference/semface_ref/identity_code.py) does the same operations in the
 * same order, so the integers (and everything after) are bit-exact across the two.
 */
export function identityCodeInput(model: IdentityCodeModel, embedding: ArrayLike<number>): Float64Array {
  if (embedding.length !== model.inputDim)
    throw new InvalidDescriptorError(
      `identity code: expected ${model.inputDim} values, got ${embedding.length}`,
    );
  let ss = 0;
  for (let i = 0; i < embedding.length; i++) {
    const v = embedding[i]!;
    if (!Number.isFinite(v))
      throw new InvalidDescriptorError('identity code: embedding holds a non-finite value');
    ss += v * v;
  }
  const norm = Math.sqrt(ss);
  if (!(norm > 0)) throw new InvalidDescriptorError('identity code: zero embedding');
  const out = new Float64Array(embedding.length);
  for (let i = 0; i < embedding.length; i++)
    out[i] = Math.floor((embedding[i]! / norm) * SCALE + 0.5) - model.mean[i]!;
  return out;
}

/** Quantisation levels of an embedding at a rate point (integer arithmetic, exact in float64). */
export function identityCodeLevels(
  model: IdentityCodeModel,
  embedding: ArrayLike<number>,
  rateIndex: number,
): Uint8Array {
  const rp = model.ratePoints[rateIndex];
  if (!rp) throw new RangeError(`identity code: no rate point ${rateIndex}`);
  const x = identityCodeInput(model, embedding);
  const d = model.inputDim;
  const levels = new Uint8Array(rp.dims);
  for (let j = 0; j < rp.dims; j++) {
    let y = 0;
    const row = j * d;
    for (let i = 0; i < d; i++) y += rp.projection[row + i]! * x[i]!;
    const t = rp.thresholds[j]!;
    let l = 0;
    while (l < t.length && y >= t[l]!) l++;
    levels[j] = l;
  }
  return levels;
}

/** Codes an embedding: 4-byte header, then the levels packed MSB-first, `bitsPerDim[j]` bits each, zero padded. */
export function encodeIdentityCode(
  model: IdentityCodeModel,
  embedding: ArrayLike<number>,
  rateIndex: number,
): Uint8Array {
  const rp = model.ratePoints[rateIndex];
  if (!rp) throw new RangeError(`identity code: no rate point ${rateIndex}`);
  const levels = identityCodeLevels(model, embedding, rateIndex);
  const out = new Uint8Array(IDENTITY_CODE_HEADER_BYTES + Math.ceil(rp.bits / 8));
  out[0] = IDENTITY_CODE_VERSION;
  out[1] = rateIndex;
  out[2] = model.id & 0xff;
  out[3] = model.id >>> 8;
  let bit = 0;
  for (let j = 0; j < levels.length; j++) {
    const l = levels[j]!;
    for (let b = rp.bitsPerDim[j]! - 1; b >= 0; b--, bit++) {
      if ((l >> b) & 1) out[IDENTITY_CODE_HEADER_BYTES + (bit >> 3)]! |= 0x80 >> (bit & 7);
    }
  }
  return out;
}

/** Reads the header of an identity-code packet without a model. */
export function peekIdentityCode(bytes: Uint8Array): { version: number; rateIndex: number; modelId: number } {
  if (bytes.length < IDENTITY_CODE_HEADER_BYTES)
    throw new BitstreamTruncatedError(
      `identity code truncated: ${bytes.length} of ${IDENTITY_CODE_HEADER_BYTES} header bytes`,
    );
  return { version: bytes[0]!, rateIndex: bytes[1]!, modelId: bytes[2]! | (bytes[3]! << 8) };
}

/**
 * Decodes an identity-code packet to its levels (integer only).
 * @throws UnsupportedVersionError, UnknownModelIdError, InvalidHeaderError, BitstreamTruncatedError, CorruptPayloadError
 */
export function decodeIdentityCode(bytes: Uint8Array, model: IdentityCodeModel): DecodedIdentityCode {
  const h = peekIdentityCode(bytes);
  if (h.version !== IDENTITY_CODE_VERSION)
    throw new UnsupportedVersionError(
      `identity code version ${h.version} (this build reads ${IDENTITY_CODE_VERSION})`,
    );
  if (h.modelId !== model.id)
    throw new UnknownModelIdError(`identity code transform ${h.modelId} (loaded: ${model.id})`);
  const rp = model.ratePoints[h.rateIndex];
  if (!rp)
    throw new InvalidHeaderError(
      `identity code rate index ${h.rateIndex} (model has ${model.ratePoints.length})`,
    );
  const n = Math.ceil(rp.bits / 8);
  const have = bytes.length - IDENTITY_CODE_HEADER_BYTES;
  if (have < n) throw new BitstreamTruncatedError(`identity code payload truncated: ${have} of ${n} bytes`);
  if (have > n) throw new CorruptPayloadError(`identity code payload has ${have - n} trailing bytes`);
  const levels = new Uint8Array(rp.dims);
  let bit = 0;
  for (let j = 0; j < rp.dims; j++) {
    let l = 0;
    for (let b = 0; b < rp.bitsPerDim[j]!; b++, bit++) {
      l = (l << 1) | ((bytes[IDENTITY_CODE_HEADER_BYTES + (bit >> 3)]! >> (7 - (bit & 7))) & 1);
    }
    levels[j] = l;
  }
  for (; bit < n * 8; bit++) {
    if ((bytes[IDENTITY_CODE_HEADER_BYTES + (bit >> 3)]! >> (7 - (bit & 7))) & 1)
      throw new CorruptPayloadError('identity code padding bits are not zero');
  }
  return { modelId: h.modelId, rateIndex: h.rateIndex, bits: rp.bits, levels };
}

/** The receiver's vector: each level's centroid (integers, 1/4096 units). Compare two with cosine. */
export function identityCodeVector(model: IdentityCodeModel, code: DecodedIdentityCode): Int16Array {
  const rp = model.ratePoints[code.rateIndex];
  if (!rp || code.levels.length !== rp.dims)
    throw new InvalidHeaderError('identity code does not match the model');
  const out = new Int16Array(rp.dims);
  for (let j = 0; j < rp.dims; j++) out[j] = rp.centroids[j]![code.levels[j]!] ?? 0;
  return out;
}

/** Cosine similarity of two identity-code vectors (0 when either is zero or the lengths differ). */
export function identityCodeSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
