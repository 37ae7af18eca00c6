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
  /** Queued symbols as (start << 16 | freq - 1), so one Int32 holds both. */
  private ops = new Uint32Array(512);
  private count = 0;
  private out = new Uint8Array(1024);

  /** Queues a symbol occupying [start, start + freq) of the 2^16 scale. */
  put(start: number, freq: number): void {
    if (this.count === this.ops.length) {
      const next = new Uint32Array(this.ops.length * 2);
      next.set(this.ops);
      this.ops = next;
    }
    this.ops[this.count++] = ((start << RANS_PRECISION) | (freq - 1)) >>> 0;
  }

  /** Queues one equiprobable bit (exactly one bit of output). */
  putBit(bit: number): void {
    this.put(bit ? SCALE >>> 1 : 0, SCALE >>> 1);
  }

  /** Codes every queued symbol; the returned bytes start with the final state (big-endian). */
  finish(): Uint8Array {
    // Each symbol emits at most 2 bytes (x < 2^31 and x >= 2^15 * freq after at most 2 shifts); +4 for the state.
    const bound = 2 * this.count + 4;
    if (this.out.length < bound) this.out = new Uint8Array(bound);
    const out = this.out;
    let pos = out.length;
    let x = RANS_L;
    for (let i = this.count - 1; i >= 0; i--) {
      const op = this.ops[i]!;
      const freq = (op & (SCALE - 1)) + 1;
      const start = op >>> RANS_PRECISION;
      const xMax = ((RANS_L >>> RANS_PRECISION) << 8) * freq;
      while (x >= xMax) {
        out[--pos] = x & 0xff;
        x >>>= 8;
      }
      x = Math.floor(x / freq) * SCALE + (x % freq) + start;
    }
    out[--pos] = x & 0xff;
    out[--pos] = (x >>> 8) & 0xff;
    out[--pos] = (x >>> 16) & 0xff;
    out[--pos] = (x >>> 24) & 0xff;
    this.count = 0;
    return out.slice(pos);
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
