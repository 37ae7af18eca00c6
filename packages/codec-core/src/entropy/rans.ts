import { CorruptPayloadError } from '../errors.js';

/** Bits of rANS frequencies (CDF precision). */
export const RANS_PRECISION = 16 as const;
const SCALE = 1 << RANS_PRECISION;
/** Lower bound of the normalised rANS state; byte-wise renormalisation keeps x in [L, 2^31). */
export const RANS_L = 1 << 23;
const STATE_LIMIT = 0x80000000;

/**
 * rANS encoder (32-bit state, byte renormalisation, 16-bit frequencies). rANS codes last-in first-out,
 * so symbols are queued with {@link put} and coded backwards in {@link finish}; the decoder reads forwards.
 */
export class RansEncoder {
  private starts: number[] = [];
  private freqs: number[] = [];

  /** Queues a symbol occupying [start, start + freq) of the 2^16 scale. */
  put(start: number, freq: number): void {
    this.starts.push(start);
    this.freqs.push(freq);
  }

  /** Queues one equiprobable bit (exactly one bit of output). */
  putBit(bit: number): void {
    this.put(bit ? SCALE >>> 1 : 0, SCALE >>> 1);
  }

  /** Codes every queued symbol; the returned bytes start with the final state (big-endian). */
  finish(): Uint8Array {
    const out: number[] = [];
    let x = RANS_L;
    for (let i = this.freqs.length - 1; i >= 0; i--) {
      const freq = this.freqs[i]!;
      const start = this.starts[i]!;
      const xMax = ((RANS_L >>> RANS_PRECISION) << 8) * freq;
      while (x >= xMax) {
        out.push(x & 0xff);
        x >>>= 8;
      }
      x = Math.floor(x / freq) * SCALE + (x % freq) + start;
    }
    out.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff);
    const bytes = new Uint8Array(out.length);
    for (let i = 0; i < out.length; i++) bytes[i] = out[out.length - 1 - i]!;
    this.starts = [];
    this.freqs = [];
    return bytes;
  }
}

/** rANS decoder matching {@link RansEncoder}. Corrupt input raises {@link CorruptPayloadError}. */
export class RansDecoder {
  private x: number;
  private pos = 4;

  constructor(private readonly bytes: Uint8Array) {
    if (bytes.length < 4) throw new CorruptPayloadError('rANS payload shorter than its 4-byte state');
    this.x = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    if (this.x < RANS_L || this.x >= STATE_LIMIT)
      throw new CorruptPayloadError('rANS initial state out of range');
  }

  /** The slot in [0, 2^16) of the next symbol; look up the symbol whose interval contains it. */
  peek(): number {
    return this.x & (SCALE - 1);
  }

  /** Consumes the symbol occupying [start, start + freq). */
  advance(start: number, freq: number): void {
    this.x = freq * (this.x >>> RANS_PRECISION) + (this.x & (SCALE - 1)) - start;
    while (this.x < RANS_L) {
      if (this.pos >= this.bytes.length) throw new CorruptPayloadError('rANS payload ended early');
      this.x = this.x * 256 + this.bytes[this.pos++]!;
    }
  }

  /** Decodes one equiprobable bit. */
  getBit(): number {
    const bit = this.peek() >= SCALE >>> 1 ? 1 : 0;
    this.advance(bit ? SCALE >>> 1 : 0, SCALE >>> 1);
    return bit;
  }

  /** Checks that the decoder ended exactly where the encoder started (catches most corruption). */
  end(): void {
    if (this.x !== RANS_L || this.pos !== this.bytes.length) {
      throw new CorruptPayloadError('rANS payload does not end in the initial state');
    }
  }
}
