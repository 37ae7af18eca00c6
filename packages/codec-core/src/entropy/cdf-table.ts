import { InvalidModelError } from '../errors.js';
import { FREQ_BITS } from './range-coder.js';

/**
 * Frozen per-channel CDFs of the learned factorised prior (cdf.json). For channel c, symbols
 * 0..K_c-1 stand for latent values min[c]..min[c]+K_c-1 and symbol K_c is ESCAPE.
 */
export interface CdfTable {
  readonly channels: number;
  /** Latent value of symbol 0, per channel. */
  readonly min: Int32Array;
  /** Number of regular (non-escape) symbols K_c, per channel. */
  readonly size: Int32Array;
  /** Offset of channel c's CDF (K_c + 2 entries) in {@link cdf}. */
  readonly offset: Int32Array;
  /** All channels' CDFs, concatenated. */
  readonly cdf: Uint32Array;
}

/** JSON form of a CDF table as exported by training (cdf.json). */
export interface CdfJson {
  precision: number;
  channels: number;
  min: number[];
  cdf: number[][];
}

/** Validates a parsed cdf.json and packs it; throws {@link InvalidModelError} on any violation. */
export function cdfTableFromJson(json: unknown): CdfTable {
  const j = json as Partial<CdfJson> | null;
  if (j === null || typeof j !== 'object') throw new InvalidModelError('cdf.json is not an object');
  if (j.precision !== FREQ_BITS) {
    throw new InvalidModelError(`cdf.json precision must be ${FREQ_BITS}, got ${String(j.precision)}`);
  }
  const channels = j.channels;
  if (typeof channels !== 'number' || !Number.isInteger(channels) || channels < 1) {
    throw new InvalidModelError('cdf.json channels must be a positive integer');
  }
  if (
    !Array.isArray(j.min) ||
    j.min.length !== channels ||
    !Array.isArray(j.cdf) ||
    j.cdf.length !== channels
  ) {
    throw new InvalidModelError(`cdf.json min and cdf must have ${channels} entries`);
  }
  const min = new Int32Array(channels);
  const size = new Int32Array(channels);
  const offset = new Int32Array(channels);
  let total = 0;
  for (let c = 0; c < channels; c++) {
    const m = j.min[c];
    const row = j.cdf[c];
    if (!Number.isInteger(m) || Math.abs(m as number) > 1 << 20) {
      throw new InvalidModelError(`cdf.json min[${c}] is not a small integer`);
    }
    if (!Array.isArray(row) || row.length < 3)
      throw new InvalidModelError(`cdf.json cdf[${c}] needs >= 3 entries`);
    if (row[0] !== 0 || row[row.length - 1] !== 1 << FREQ_BITS) {
      throw new InvalidModelError(`cdf.json cdf[${c}] must start at 0 and end at ${1 << FREQ_BITS}`);
    }
    for (let i = 1; i < row.length; i++) {
      const a = row[i - 1];
      const b = row[i];
      if (!Number.isInteger(b) || (b as number) <= (a as number)) {
        throw new InvalidModelError(`cdf.json cdf[${c}] is not strictly increasing at ${i}`);
      }
    }
    min[c] = m as number;
    size[c] = row.length - 2;
    offset[c] = total;
    total += row.length;
  }
  const cdf = new Uint32Array(total);
  for (let c = 0; c < channels; c++) cdf.set(j.cdf[c] as number[], offset[c]);
  return { channels, min, size, offset, cdf };
}
