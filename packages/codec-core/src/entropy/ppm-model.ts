import { PROB_BITS, PROB_MAX, PROB_MIN } from './range-coder.js';

/** Distinct context slots for Exp-Golomb prefix bins (bin i >= PREFIX_SLOTS - 1 shares the last). */
export const PREFIX_SLOTS = 12;
/** Suffix bins: (prefix length capped at 8) x (bit position from the top capped at 2). */
const SUFFIX_LENGTHS = 8;
const SUFFIX_POSITIONS = 3;
/** Context slots per channel. */
export const BIN_SLOTS = PREFIX_SLOTS + SUFFIX_LENGTHS * SUFFIX_POSITIONS;
/** Magnitude classes of a previous symbol: EG prefix length 0, 1, 2, >= 3 (|v| = 0, <= 1, <= 3, > 3). */
export const MAGNITUDE_CLASSES = 4;
/** A context is used once it has seen at least this many bins; otherwise the model escapes one order down. */
export const ORDER2_MIN_COUNT = 6;
export const ORDER1_MIN_COUNT = 3;
/** Counts are halved when their sum reaches this, so statistics track a drifting source. */
export const COUNT_LIMIT = 255;

/**
 * Krichevsky-Trofimov estimate P(0) = (n0 + 1/2) / (n0 + n1 + 1) in units of 2^-PROB_BITS, clamped to
 * [PROB_MIN, PROB_MAX], for every reachable count pair (n0 + n1 < COUNT_LIMIT); indexed by n0 * 256 + n1.
 * A table instead of a division per bin; values are exactly floor(((2 n0 + 1) << 12) / (2 (n0 + n1) + 2)).
 */
const KT_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256 * 256);
  for (let a = 0; a < 256; a++) {
    for (let b = 0; a + b < 256; b++) {
      const p = Math.floor(((2 * a + 1) << PROB_BITS) / (2 * (a + b) + 2));
      t[(a << 8) | b] = p < PROB_MIN ? PROB_MIN : p > PROB_MAX ? PROB_MAX : p;
    }
  }
  return t;
})();

/** Context slot of Exp-Golomb prefix bin `i`. */
export function prefixSlot(i: number): number {
  return i < PREFIX_SLOTS ? i : PREFIX_SLOTS - 1;
}

/** Context slot of the suffix bit `fromTop` (0 = most significant) of a code with prefix length `n >= 1`. */
export function suffixSlot(n: number, fromTop: number): number {
  const len = n < SUFFIX_LENGTHS ? n : SUFFIX_LENGTHS;
  const pos = fromTop < SUFFIX_POSITIONS - 1 ? fromTop : SUFFIX_POSITIONS - 1;
  return PREFIX_SLOTS + (len - 1) * SUFFIX_POSITIONS + pos;
}

/** Magnitude class of a symbol from its Exp-Golomb prefix length. */
export function magnitudeClass(prefixLength: number): number {
  return prefixLength < MAGNITUDE_CLASSES - 1 ? prefixLength : MAGNITUDE_CLASSES - 1;
}

/**
 * PPM-style adaptive binary context model. Each bin of channel c has three nested contexts:
 * order 0 = (c, slot), order 1 = + class of c's symbol one frame back, order 2 = + class two frames back.
 * The highest order whose context has seen enough bins gives the probability (escape to lower orders
 * otherwise); all three are updated. Integer arithmetic only, so encoder and decoder agree bit for bit.
 */
export class PpmModel {
  /** Counts per order, interleaved: [2i] = zeros seen in context i, [2i + 1] = ones. */
  private readonly c0: Uint16Array;
  private readonly c1: Uint16Array;
  private readonly c2: Uint16Array;
  /** Magnitude class of each channel's symbol one and two frames back. */
  readonly prev1: Uint8Array;
  readonly prev2: Uint8Array;
  private i0 = 0;
  private i1 = 0;
  private i2 = 0;

  constructor(readonly channels: number) {
    const base = channels * BIN_SLOTS;
    this.c0 = new Uint16Array(2 * base);
    this.c1 = new Uint16Array(2 * base * MAGNITUDE_CLASSES);
    this.c2 = new Uint16Array(2 * base * MAGNITUDE_CLASSES * MAGNITUDE_CLASSES);
    this.prev1 = new Uint8Array(channels);
    this.prev2 = new Uint8Array(channels);
  }

  /** Clears all statistics and history (key frame). */
  reset(): void {
    this.c0.fill(0);
    this.c1.fill(0);
    this.c2.fill(0);
    this.prev1.fill(0);
    this.prev2.fill(0);
  }

  /** Selects the contexts of one bin and returns P(bit = 0) in units of 2^-PROB_BITS. */
  select(channel: number, slot: number): number {
    const i0 = 2 * (channel * BIN_SLOTS + slot);
    const i1 = i0 * MAGNITUDE_CLASSES + 2 * this.prev1[channel]!;
    const i2 = i1 * MAGNITUDE_CLASSES + 2 * this.prev2[channel]!;
    this.i0 = i0;
    this.i1 = i1;
    this.i2 = i2;
    let a = this.c2[i2]!;
    let b = this.c2[i2 + 1]!;
    if (a + b < ORDER2_MIN_COUNT) {
      a = this.c1[i1]!;
      b = this.c1[i1 + 1]!;
      if (a + b < ORDER1_MIN_COUNT) {
        a = this.c0[i0]!;
        b = this.c0[i0 + 1]!;
      }
    }
    return KT_TABLE[(a << 8) | b]!;
  }

  /** Updates the contexts chosen by the last {@link select} with the coded bit. */
  update(bit: number): void {
    bump(this.c0, this.i0, bit);
    bump(this.c1, this.i1, bit);
    bump(this.c2, this.i2, bit);
  }

  /** Shifts the per-channel history after a frame; `classes[c]` is the class of c's symbol in it. */
  pushHistory(classes: Uint8Array): void {
    this.prev2.set(this.prev1);
    this.prev1.set(classes);
  }
}

function bump(counts: Uint16Array, i: number, bit: number): void {
  const n = counts[i + bit]! + 1;
  counts[i + bit] = n;
  const other = counts[i + 1 - bit]!;
  if (n + other >= COUNT_LIMIT) {
    counts[i] = (counts[i]! + 1) >>> 1;
    counts[i + 1] = (counts[i + 1]! + 1) >>> 1;
  }
}
