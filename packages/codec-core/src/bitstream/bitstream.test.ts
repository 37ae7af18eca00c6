import { describe, expect, it } from 'vitest';
import {
  BadMagicError,
  BitstreamTruncatedError,
  CodecError,
  CrcMismatchError,
  InvalidHeaderError,
  UnsupportedVersionError,
} from '../errors.js';
import { crc32 } from './crc32.js';
import { parseFile, writeFile } from './file-format.js';
import { parseFramePacket, writeFramePacket } from './frame-packet.js';
import type { StreamParams } from './stream-params.js';

const params: StreamParams = {
  modelId: '0123456789ab',
  profile: 'expression',
  rateIndex: 3,
  coder: 'ppm',
  latentDim: 256,
};
const payloads = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(200).fill(7)];

function refreshCrc(b: Uint8Array): Uint8Array {
  const body = b.length - 4;
  new DataView(b.buffer, b.byteOffset).setUint32(body, crc32(b.subarray(0, body)), true);
  return b;
}

describe('batch file', () => {
  it('round-trips params and payloads with the documented layout', () => {
    const bytes = writeFile(params, payloads);
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0x53, 0x46, 0x43, 0x31, 1, 0]);
    expect(bytes.length).toBe(21 + 1 + 1 + 2 + 3 + 200 + 4);
    const f = parseFile(bytes);
    expect(f.params).toEqual(params);
    expect(f.payloads.map((p) => Array.from(p))).toEqual(payloads.map((p) => Array.from(p)));
    expect(f.overheadBytes).toBe(bytes.length - 203);
  });

  it('rejects bad magic, version, flags, truncation and CRC errors with their own classes', () => {
    const good = writeFile(params, payloads);
    const bad = (mutate: (b: Uint8Array) => void) => {
      const b = good.slice();
      mutate(b);
      return () => parseFile(b);
    };
    expect(
      bad((b) => {
        b[0] = 0x58;
      }),
    ).toThrow(BadMagicError);
    expect(
      bad((b) => {
        b[4] = 2;
      }),
    ).toThrow(UnsupportedVersionError);
    expect(
      bad((b) => {
        b[5] = 1;
        refreshCrc(b);
      }),
    ).toThrow(InvalidHeaderError);
    expect(
      bad((b) => {
        b[12] = 9;
        refreshCrc(b);
      }),
    ).toThrow(InvalidHeaderError);
    expect(
      bad((b) => {
        b[30] ^= 0x10;
      }),
    ).toThrow(CrcMismatchError);
    expect(() => parseFile(good.subarray(0, good.length - 1))).toThrow(BitstreamTruncatedError);
    expect(() => parseFile(good.subarray(0, 10))).toThrow(BitstreamTruncatedError);
    const err = (() => {
      try {
        parseFile(good.subarray(0, 10));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).code).toBe('SEMFACE_ERR_BITSTREAM_TRUNCATED');
  });

  it('validates writer arguments with TypeError/RangeError', () => {
    expect(() => writeFile({ ...params, modelId: 'xyz' }, [])).toThrow(TypeError);
    expect(() => writeFile({ ...params, rateIndex: 256 }, [])).toThrow(RangeError);
  });
});

describe('frame packet', () => {
  it('carries params on key frames only and is self-delimiting', () => {
    const a = writeFramePacket(params, { sequence: 7, keyFrame: true }, payloads[0]!);
    const b = writeFramePacket(undefined, { sequence: 8, keyFrame: false }, payloads[2]!);
    expect(a.length).toBe(2 + 11 + 2 + 1 + 3 + 4);
    expect(b.length).toBe(2 + 2 + 2 + 200 + 4);
    expect(Array.from(a.subarray(0, 2))).toEqual([0xa1, 0x01]);
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    const p = parseFramePacket(both);
    expect(p).toMatchObject({ params, sequence: 7, keyFrame: true, byteLength: a.length });
    const q = parseFramePacket(both, p.byteLength);
    expect(q).toMatchObject({ params: undefined, sequence: 8, keyFrame: false, byteLength: b.length });
    expect(q.payload.length).toBe(200);
  });

  it('detects corruption', () => {
    const a = writeFramePacket(params, { sequence: 1, keyFrame: true }, payloads[2]!);
    const c = a.slice();
    c[40] ^= 1;
    expect(() => parseFramePacket(c)).toThrow(CrcMismatchError);
    expect(() => parseFramePacket(a.subarray(0, 30))).toThrow(BitstreamTruncatedError);
    const d = a.slice();
    d[0] = 0x53;
    expect(() => parseFramePacket(d)).toThrow(BadMagicError);
    d[0] = 0xa2;
    expect(() => parseFramePacket(d)).toThrow(UnsupportedVersionError);
  });

  it('validates writer arguments', () => {
    expect(() => writeFramePacket(undefined, { sequence: 0, keyFrame: true }, payloads[0]!)).toThrow(
      TypeError,
    );
    expect(() => writeFramePacket(params, { sequence: 65536, keyFrame: false }, payloads[0]!)).toThrow(
      RangeError,
    );
  });
});
