/**
 * Writes into a buffer whose exact length was computed beforehand. Writing past the end,
 * or finishing before the end, is a bug in the length computation and throws.
 */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private pos = 0;

  constructor(length: number) {
    this.bytes = new Uint8Array(length);
  }

  get offset(): number {
    return this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new Error(
        `internal: write of ${n} bytes at ${this.pos} overruns computed length ${this.bytes.length}`,
      );
    }
  }

  u8(v: number): void {
    this.need(1);
    this.bytes[this.pos++] = v & 0xff;
  }

  u16(v: number): void {
    this.need(2);
    this.bytes[this.pos++] = v & 0xff;
    this.bytes[this.pos++] = (v >>> 8) & 0xff;
  }

  u32(v: number): void {
    this.need(4);
    for (let i = 0; i < 4; i++) this.bytes[this.pos++] = (v >>> (8 * i)) & 0xff;
  }

  /** Unsigned LEB128. */
  varint(v: number): void {
    do {
      const b = v & 0x7f;
      v = Math.floor(v / 128);
      this.u8(v > 0 ? b | 0x80 : b);
    } while (v > 0);
  }

  raw(src: ArrayLike<number>): void {
    this.need(src.length);
    this.bytes.set(src, this.pos);
    this.pos += src.length;
  }

  /** Returns the buffer after checking that exactly the computed length was written. */
  finish(): Uint8Array {
    if (this.pos !== this.bytes.length) {
      throw new Error(`internal: wrote ${this.pos} bytes, computed length ${this.bytes.length}`);
    }
    return this.bytes;
  }
}

/** Bytes an unsigned LEB128 varint of `v` takes. */
export function varintLength(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
