import { PROB_BITS, PROB_MAX, PROB_MIN } from './binary-range-coder.js';

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
  private readonly n0: Uint16Array[];
  private readonly n1: Uint16Array[];
  /** Magnitude class of each channel's symbol one and two frames back. */
  readonly prev1: Uint8Array;
  readonly prev2: Uint8Array;
  private i0 = 0;
  private i1 = 0;
  private i2 = 0;

  constructor(readonly channels: number) {
    const base = channels * BIN_SLOTS;
    const sizes = [base, base * MAGNITUDE_CLASSES, base * MAGNITUDE_CLASSES * MAGNITUDE_CLASSES];
    this.n0 = sizes.map((n) => new Uint16Array(n));
    this.n1 = sizes.map((n) => new Uint16Array(n));
    this.prev1 = new Uint8Array(channels);
    this.prev2 = new Uint8Array(channels);
  }

  /** Clears all statistics and history (key frame). */
  reset(): void {
    for (const a of this.n0) a.fill(0);
    for (const a of this.n1) a.fill(0);
    this.prev1.fill(0);
    this.prev2.fill(0);
  }

  /** Selects the contexts of one bin and returns P(bit = 0) in units of 2^-PROB_BITS. */
  select(channel: number, slot: number): number {
    const i0 = channel * BIN_SLOTS + slot;
    const i1 = i0 * MAGNITUDE_CLASSES + this.prev1[channel]!;
    const i2 = i1 * MAGNITUDE_CLASSES + this.prev2[channel]!;
    this.i0 = i0;
    this.i1 = i1;
    this.i2 = i2;
    let a = this.n0[2]![i2]!;
    let b = this.n1[2]![i2]!;
    if (a + b < ORDER2_MIN_COUNT) {
      a = this.n0[1]![i1]!;
      b = this.n1[1]![i1]!;
      if (a + b < ORDER1_MIN_COUNT) {
        a = this.n0[0]![i0]!;
        b = this.n1[0]![i0]!;
      }
    }
    // Krichevsky-Trofimov estimate (a + 1/2) / (a + b + 1), in integers.
    const p = Math.floor(((2 * a + 1) << PROB_BITS) / (2 * (a + b) + 2));
    return p < PROB_MIN ? PROB_MIN : p > PROB_MAX ? PROB_MAX : p;
  }

  /** Updates the contexts chosen by the last {@link select} with the coded bit. */
  update(bit: number): void {
    bump(this.n0[0]!, this.n1[0]!, this.i0, bit);
    bump(this.n0[1]!, this.n1[1]!, this.i1, bit);
    bump(this.n0[2]!, this.n1[2]!, this.i2, bit);
  }

  /** Shifts the per-channel history after a frame; `classes[c]` is the class of c's symbol in it. */
  pushHistory(classes: Uint8Array): void {
    this.prev2.set(this.prev1);
    this.prev1.set(classes);
  }
}

function bump(n0: Uint16Array, n1: Uint16Array, i: number, bit: number): void {
  if (bit === 0) n0[i]!++;
  else n1[i]!++;
  if (n0[i]! + n1[i]! >= COUNT_LIMIT) {
    n0[i] = (n0[i]! + 1) >>> 1;
    n1[i] = (n1[i]! + 1) >>> 1;
  }
}
