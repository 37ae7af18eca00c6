import { PROB_BITS, PROB_MAX, PROB_MIN } from '../entropy/range-coder.js';

/** A context is trusted once it has seen this many bins; below that the shared context is used. */
export const RESIDUAL_CHANNEL_MIN_COUNT = 3;
/** Counts are halved when their sum reaches this (zero flags get confident, p(0) up to ~0.999). */
export const RESIDUAL_COUNT_LIMIT = 1023;
/** History classes of a channel's previous residual: 0, |r| = 1, |r| >= 2. */
export const RESIDUAL_HISTORY_CLASSES = 3;
/** Frame activity classes: non-zero residuals coded so far in this frame, capped. */
export const RESIDUAL_ACTIVITY_CLASSES = 4;
/** Exp-Golomb prefix bins of the magnitude with their own context (later bins share the last). */
export const RESIDUAL_PREFIX_SLOTS = 8;
/** Suffix bit contexts: (prefix length capped at 8) x (bit position capped at 2). */
const SUFFIX_LENGTHS = 8;
const SUFFIX_POSITIONS = 3;

/** Which decision a bin is. */
export const ResidualBin = { zero: 0, sign: 1, prefix: 2, suffix: 3 } as const;

function kt(a: number, b: number): number {
  const p = Math.floor(((2 * a + 1) << PROB_BITS) / (2 * (a + b) + 2));
  return p < PROB_MIN ? PROB_MIN : p > PROB_MAX ? PROB_MAX : p;
}

function bump(counts: Uint16Array, i: number, bit: number): void {
  const n = counts[i + bit]! + 1;
  counts[i + bit] = n;
  if (n + counts[i + 1 - bit]! >= RESIDUAL_COUNT_LIMIT) {
    counts[i] = (counts[i]! + 1) >>> 1;
    counts[i + 1] = (counts[i + 1]! + 1) >>> 1;
  }
}

/**
 * Adaptive binary context model for frame-to-frame latent residuals. Each bin has a per-channel
 * context and a shared (all channels) context; the per-channel one is used once it has seen
 * {@link RESIDUAL_CHANNEL_MIN_COUNT} bins, so a fresh model (after a key frame) learns from the shared
 * statistics within one frame. Both contexts are updated. Integer arithmetic only.
 *
 * Contexts: zero flag = (channel, history) / (history, activity); sign = (channel, last sign) /
 * (last sign); magnitude prefix bin i = (channel, i) / (i, history); suffix = shared (length, position).
 */
export class ResidualModel {
  private readonly zeroC: Uint16Array;
  private readonly zeroS = new Uint16Array(2 * RESIDUAL_HISTORY_CLASSES * RESIDUAL_ACTIVITY_CLASSES);
  private readonly signC: Uint16Array;
  private readonly signS = new Uint16Array(2 * 3);
  private readonly prefixC: Uint16Array;
  private readonly prefixS = new Uint16Array(2 * RESIDUAL_PREFIX_SLOTS * RESIDUAL_HISTORY_CLASSES);
  private readonly suffixS = new Uint16Array(2 * SUFFIX_LENGTHS * SUFFIX_POSITIONS);
  /** History class of each channel's residual in the previous frame. */
  private readonly history: Uint8Array;
  /** Sign of each channel's last non-zero residual: 0 none, 1 positive, 2 negative. */
  private readonly lastSign: Uint8Array;
  private chosenA: Uint16Array = this.zeroS;
  private chosenB: Uint16Array = this.zeroS;
  private ia = 0;
  private ib = 0;

  constructor(readonly channels: number) {
    this.zeroC = new Uint16Array(2 * channels * RESIDUAL_HISTORY_CLASSES);
    this.signC = new Uint16Array(2 * channels * 3);
    this.prefixC = new Uint16Array(2 * channels * RESIDUAL_PREFIX_SLOTS);
    this.history = new Uint8Array(channels);
    this.lastSign = new Uint8Array(channels);
  }

  /** Forgets all statistics and history (key frame). */
  reset(): void {
    for (const a of [
      this.zeroC,
      this.zeroS,
      this.signC,
      this.signS,
      this.prefixC,
      this.prefixS,
      this.suffixS,
    ]) {
      a.fill(0);
    }
    this.history.fill(0);
    this.lastSign.fill(0);
  }

  private pick(a: Uint16Array, ia: number, b: Uint16Array, ib: number): number {
    this.chosenA = a;
    this.ia = ia;
    this.chosenB = b;
    this.ib = ib;
    const n0 = a[ia]!;
    const n1 = a[ia + 1]!;
    return n0 + n1 >= RESIDUAL_CHANNEL_MIN_COUNT ? kt(n0, n1) : kt(b[ib]!, b[ib + 1]!);
  }

  /** P(residual of `channel` is zero -> bit 0), given the non-zero residuals coded so far in the frame. */
  zero(channel: number, activity: number): number {
    const h = this.history[channel]!;
    const act = activity < RESIDUAL_ACTIVITY_CLASSES ? activity : RESIDUAL_ACTIVITY_CLASSES - 1;
    return this.pick(
      this.zeroC,
      2 * (channel * RESIDUAL_HISTORY_CLASSES + h),
      this.zeroS,
      2 * (h * RESIDUAL_ACTIVITY_CLASSES + act),
    );
  }

  /** P(sign bit 0 = positive). */
  sign(channel: number): number {
    const s = this.lastSign[channel]!;
    return this.pick(this.signC, 2 * (channel * 3 + s), this.signS, 2 * s);
  }

  /** P(prefix bin i of the magnitude code is 0). */
  prefix(channel: number, i: number): number {
    const slot = i < RESIDUAL_PREFIX_SLOTS ? i : RESIDUAL_PREFIX_SLOTS - 1;
    const h = this.history[channel]!;
    return this.pick(
      this.prefixC,
      2 * (channel * RESIDUAL_PREFIX_SLOTS + slot),
      this.prefixS,
      2 * (slot * RESIDUAL_HISTORY_CLASSES + h),
    );
  }

  /** P(suffix bit `fromTop` of a magnitude code with prefix length n >= 1 is 0). */
  suffix(n: number, fromTop: number): number {
    const len = n < SUFFIX_LENGTHS ? n : SUFFIX_LENGTHS;
    const pos = fromTop < SUFFIX_POSITIONS - 1 ? fromTop : SUFFIX_POSITIONS - 1;
    const i = 2 * ((len - 1) * SUFFIX_POSITIONS + pos);
    // Shared only: the same context serves as both orders.
    return this.pick(this.suffixS, i, this.suffixS, i);
  }

  /** Counts the coded bit in the contexts chosen by the last probability query. */
  update(bit: number): void {
    bump(this.chosenA, this.ia, bit);
    if (this.chosenB !== this.chosenA || this.ib !== this.ia) bump(this.chosenB, this.ib, bit);
  }

  /** Records the residual of `channel` in this frame (history for the next frame). */
  record(channel: number, residual: number): void {
    const m = residual < 0 ? -residual : residual;
    this.history[channel] = m === 0 ? 0 : m === 1 ? 1 : 2;
    if (m !== 0) this.lastSign[channel] = residual > 0 ? 1 : 2;
  }

  /** A frame whose residual is all zero and was not coded (skip): history becomes all zero. */
  recordSkip(): void {
    this.history.fill(0);
  }
}
