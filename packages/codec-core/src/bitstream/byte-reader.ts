import { BitstreamTruncatedError, CorruptPayloadError } from '../errors.js';

/** Bounds-checked little-endian reader; running off the end throws {@link BitstreamTruncatedError}. */
export class ByteReader {
  private pos: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
    private readonly what = 'bitstream',
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new BitstreamTruncatedError(
        `${this.what} truncated: need ${n} bytes at offset ${this.pos}, have ${this.bytes.length - this.pos}`,
      );
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.bytes[this.pos]! | (this.bytes[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** Unsigned LEB128 of at most `maxBytes` bytes. */
  varint(maxBytes: number): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (i > 0 && b === 0) throw new CorruptPayloadError(`${this.what}: non-minimal varint`);
        return v;
      }
      scale *= 128;
    }
    throw new CorruptPayloadError(`${this.what}: varint longer than ${maxBytes} bytes`);
  }

  /** A view (no copy) of the next `n` bytes. */
  view(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}
