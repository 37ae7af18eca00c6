import { describe, expect, it } from 'vitest';
import type { SemfaceProtocolError } from '../errors.js';
import { FrameKind } from '../frame-kind.js';
import { decodeBundle, encodeBundle } from './bundle.js';
import {
  CompactFrameError,
  compactFrameOverhead,
  decodeCompactFrame,
  encodeCompactFrame,
  foldCaptureTimeMs,
  unwrapCaptureTimeMs,
} from './compact-frame.js';
import { wireMessageType } from './wire-message.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Seeded xorshift32, so a failing fuzz case reproduces. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

describe('compact frame layout (golden bytes)', () => {
  it('encodes a delta on track 3 in 5 bytes of framing', () => {
    const b = encodeCompactFrame({
      kind: FrameKind.delta,
      track: 3,
      seq: 0x2a,
      timeMs16: 0x1234,
      payload: new Uint8Array([0xde, 0xad]),
    });
    expect(hex(b)).toBe('a0032a1234dead');
    expect(b.length - 2).toBe(compactFrameOverhead(3));
    expect(compactFrameOverhead(3) * 8).toBeLessThanOrEqual(40);
  });

  it('encodes each kind in bits 6..5 and a 2-byte varint track', () => {
    const p = new Uint8Array([7]);
    expect(
      hex(encodeCompactFrame({ kind: FrameKind.key, track: 300, seq: 0, timeMs16: 0, payload: p })),
    ).toBe('80ac0200000007');
    expect(
      hex(encodeCompactFrame({ kind: FrameKind.identity, track: 0, seq: 255, timeMs16: 65535, payload: p })),
    ).toBe('c000ffffff07');
    expect(
      hex(encodeCompactFrame({ kind: FrameKind.identityCode, track: 1, seq: 1, timeMs16: 1, payload: p })),
    ).toBe('e001010001' + '07');
  });

  it('bundles length-prefixed messages behind 0x01', () => {
    const a = new Uint8Array([0xa0, 0, 0, 0, 0, 9]);
    const e = new Uint8Array(200).fill(0x0a);
    const b = encodeBundle([a, e]);
    expect(hex(b.subarray(0, 10))).toBe('0106a00000000009c801');
    expect(decodeBundle(b).map(hex)).toEqual([hex(a), hex(e)]);
    expect(wireMessageType(b)).toBe('bundle');
    expect(wireMessageType(a)).toBe('frame');
    expect(wireMessageType(new Uint8Array([0x0a, 0]))).toBe('envelope');
  });
});

describe('compact frame round trip and validation', () => {
  it('round-trips random frames', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const f = {
        kind: (1 + Math.floor(r() * 4)) as 1 | 2 | 3 | 4,
        track: Math.floor(r() * 2 ** (1 + Math.floor(r() * 21))),
        seq: Math.floor(r() * 256),
        timeMs16: Math.floor(r() * 65536),
        payload: new Uint8Array(1 + Math.floor(r() * 40)).map(() => Math.floor(r() * 256)),
      };
      const d = decodeCompactFrame(encodeCompactFrame(f));
      expect({ ...d, payload: hex(d.payload) }).toEqual({ ...f, payload: hex(f.payload) });
    }
  });

  it('rejects bad fields with TypeError / RangeError', () => {
    const p = new Uint8Array([1]);
    expect(() => encodeCompactFrame({ kind: 0 as 1, track: 0, seq: 0, timeMs16: 0, payload: p })).toThrow(
      RangeError,
    );
    expect(() => encodeCompactFrame({ kind: 1, track: -1, seq: 0, timeMs16: 0, payload: p })).toThrow(
      RangeError,
    );
    expect(() => encodeCompactFrame({ kind: 1, track: 0, seq: 256, timeMs16: 0, payload: p })).toThrow(
      RangeError,
    );
    expect(() => encodeCompactFrame({ kind: 1, track: 0.5, seq: 0, timeMs16: 0, payload: p })).toThrow(
      TypeError,
    );
    expect(() =>
      encodeCompactFrame({ kind: 1, track: 0, seq: 0, timeMs16: 0, payload: new Uint8Array(0) }),
    ).toThrow(RangeError);
  });

  it('fuzz: 20,000 mutated frames and bundles decode or throw the typed error, nothing else', () => {
    const r = rng(12345);
    const base = encodeBundle([
      encodeCompactFrame({ kind: 2, track: 5, seq: 9, timeMs16: 500, payload: new Uint8Array(12).fill(3) }),
      encodeCompactFrame({
        kind: 1,
        track: 200,
        seq: 10,
        timeMs16: 540,
        payload: new Uint8Array(40).fill(4),
      }),
    ]);
    let typed = 0;
    for (let i = 0; i < 20_000; i++) {
      let m: Uint8Array;
      const op = i % 4;
      if (op === 0) m = new Uint8Array(Math.floor(r() * 64)).map(() => Math.floor(r() * 256));
      else if (op === 1) m = base.slice(0, Math.floor(r() * base.length));
      else {
        m = base.slice();
        for (let k = 0; k < 1 + Math.floor(r() * 4); k++)
          m[Math.floor(r() * m.length)] ^= 1 << Math.floor(r() * 8);
      }
      if (op === 3) m = m.subarray(1 + Math.floor(r() * 3));
      try {
        const parts = wireMessageType(m) === 'bundle' ? decodeBundle(m) : [m];
        for (const p of parts) if (wireMessageType(p) === 'frame') decodeCompactFrame(p);
      } catch (err) {
        expect(err).toBeInstanceOf(CompactFrameError);
        expect((err as SemfaceProtocolError).code).toBe('SEMFACE_ERR_PROTOCOL_COMPACT_FRAME');
        typed++;
      }
    }
    expect(typed).toBeGreaterThan(1000);
  });
});

describe('capture time window', () => {
  it('unwraps to the epoch time nearest the receiver clock, across the 65.5 s wrap', () => {
    const t = 1_765_000_000_123;
    for (const lag of [-5_000, 0, 40, 1_000, 30_000]) {
      expect(unwrapCaptureTimeMs(foldCaptureTimeMs(t), t + lag)).toBe(t);
    }
    const atWrap = 65_536 * 26_931_000 + 65_530;
    expect(unwrapCaptureTimeMs(foldCaptureTimeMs(atWrap), atWrap + 20)).toBe(atWrap);
    expect(unwrapCaptureTimeMs(foldCaptureTimeMs(atWrap + 20), atWrap)).toBe(atWrap + 20);
  });
});
