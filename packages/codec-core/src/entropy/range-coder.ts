import { CorruptPayloadError } from '../errors.js';

/** Bits of the binary probabilities passed to the range coder: P(bit = 0) = p0 / 4096. */
export const PROB_BITS = 12 as const;
/** Smallest and largest allowed `p0` (probabilities never reach 0 or 1). */
export const PROB_MIN = 1;
export const PROB_MAX = (1 << PROB_BITS) - 1;

const TOP = 0x1000000;
const TWO32 = 0x100000000;

/** Bits of the multi-symbol frequencies (the frozen CDF precision). */
export const FREQ_BITS = 16 as const;

/**
 * Range encoder: 32-bit range, carry propagated through a cached byte (LZMA style). Codes binary
 * decisions with 12-bit probabilities ({@link encode}) and symbols of 16-bit CDFs ({@link encodeFreq}).
 * Integer arithmetic only; JS numbers hold `low` up to 2^33 exactly.
 */
export class RangeEncoder {
  private low = 0;
  private range = 0xffffffff;
  private cache = 0;
  private cacheSize = 1;
  private skipFirst = true;
  private buf = new Uint8Array(256);
  private len = 0;

  /** Codes `bit` with probability P(0) = p0 / 2^PROB_BITS, p0 in [PROB_MIN, PROB_MAX]. */
  encode(bit: number, p0: number): void {
    const bound = (this.range >>> PROB_BITS) * p0;
    if (bit === 0) {
      this.range = bound;
    } else {
      this.low += bound;
      this.range -= bound;
    }
    while (this.range < TOP) {
      this.range *= 256;
      this.shiftLow();
    }
  }

  /**
   * Codes the symbol occupying [start, start + freq) of a 2^16 scale. The range is split in units of
   * floor(range / 2^16); the remainder (< 2^16 / 2^24 of the range) is left unused.
   */
  encodeFreq(start: number, freq: number): void {
    const r = this.range >>> FREQ_BITS;
    this.low += r * start;
    this.range = r * freq;
    while (this.range < TOP) {
      this.range *= 256;
      this.shiftLow();
    }
  }

  private shiftLow(): void {
    if (this.low < 0xff000000 || this.low >= TWO32) {
      const carry = this.low >= TWO32 ? 1 : 0;
      let temp = this.cache;
      do {
        this.out((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = (this.low >>> 24) & 0xff;
    }
    this.cacheSize++;
    this.low = (this.low & 0xffffff) * 256;
  }

  private out(b: number): void {
    // The first byte is always 0 (the interval starts inside [0, 2^32 - 1)); the decoder assumes it.
    if (this.skipFirst) {
      this.skipFirst = false;
      return;
    }
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = b;
  }

  /**
   * Ends the code with the shortest tail: picks the value in [low, low + range) whose low 24 bits are
   * zero, emits its top byte, and drops trailing zero bytes (the decoder reads zeros past the end).
   */
  finish(): Uint8Array {
    const v = this.low + 0xffffff;
    this.low = v - (v % TOP);
    this.shiftLow();
    this.shiftLow();
    let n = this.len;
    while (n > 0 && this.buf[n - 1] === 0) n--;
    return this.buf.slice(0, n);
  }
}

/** Decoder matching {@link RangeEncoder}; reads zero bytes past the end of its input. */
export class RangeDecoder {
  private range = 0xffffffff;
  private code = 0;
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {
    for (let i = 0; i < 4; i++) this.code = this.code * 256 + this.next();
    // A valid code always lies below low + range <= 2^32 - 1; this keeps `code < range` invariant.
    if (this.code >= this.range) throw new CorruptPayloadError('range coder: initial code out of range');
  }

  private next(): number {
    const p = this.pos++;
    return p < this.bytes.length ? this.bytes[p]! : 0;
  }

  /** Decodes one bit coded with P(0) = p0 / 2^PROB_BITS. */
  decode(p0: number): number {
    const bound = (this.range >>> PROB_BITS) * p0;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      bit = 0;
    } else {
      this.code -= bound;
      this.range -= bound;
      bit = 1;
    }
    while (this.range < TOP) {
      this.range *= 256;
      this.code = this.code * 256 + this.next();
    }
    return bit;
  }

  /**
   * Decodes a symbol of the 2^16-scale CDF `cdf[offset .. offset + k + 1]` (symbols 0..k) and returns it.
   * A code outside every symbol's interval (only in corrupt input) raises {@link CorruptPayloadError}.
   */
  decodeFreq(cdf: Uint32Array, offset: number, k: number): number {
    const r = this.range >>> FREQ_BITS;
    let slot = Math.floor(this.code / r);
    if (slot > 0xffff) slot = 0xffff;
    // Largest s in [0, k] with cdf[offset + s] <= slot; cdf[offset] = 0 and cdf[offset + k + 1] = 2^16.
    let lo = 0;
    let hi = k + 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (cdf[offset + mid]! <= slot) lo = mid;
      else hi = mid;
    }
    const start = cdf[offset + lo]!;
    this.code -= r * start;
    this.range = r * (cdf[offset + lo + 1]! - start);
    if (this.code >= this.range)
      throw new CorruptPayloadError('range coder: code outside the symbol interval');
    while (this.range < TOP) {
      this.range *= 256;
      this.code = this.code * 256 + this.next();
    }
    return lo;
  }

  /** Input bytes consumed so far, including zero padding past the end. */
  get consumed(): number {
    return this.pos;
  }
}
