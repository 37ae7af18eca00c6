import { describe, expect, it } from 'vitest';
import { CrcMismatchError, InvalidHeaderError, UnsupportedVersionError } from '../errors.js';
import { parseTemporalPacket, writeTemporalPacket } from './temporal-packet.js';

const header = { motionModelId: '0123456789ab', identityModelId: 'ba9876543210', lightingStep: 200 };

describe('temporal packets', () => {
  it('round-trips every kind', () => {
    const packets = [
      { kind: 'key', sequence: 0, header, identity: Uint8Array.of(1, 2, 3), motion: Uint8Array.of(9, 8) },
      { kind: 'identity', sequence: 63, identity: Uint8Array.of(7), motion: Uint8Array.of(5) },
      { kind: 'delta', sequence: 17, motion: Uint8Array.of(4, 4) },
      { kind: 'skip', sequence: 2, motion: new Uint8Array(0) },
    ] as const;
    for (const p of packets) expect(parseTemporalPacket(writeTemporalPacket(p))).toEqual(p);
  });

  it('writes version 2 key packets (transform layer) with the motion step, version 1 without', () => {
    const body = { kind: 'key', sequence: 3, identity: Uint8Array.of(1), motion: Uint8Array.of(2) } as const;
    const v2 = writeTemporalPacket({ ...body, header: { ...header, motionStep: 2000 } });
    const v1 = writeTemporalPacket({ ...body, header });
    expect(v2[1]).toBe(0xb2);
    expect(v1[1]).toBe(0xb1);
    expect(v2.length).toBe(v1.length + 2);
    expect(parseTemporalPacket(v2).header).toEqual({ ...header, motionStep: 2000 });
    expect(() => writeTemporalPacket({ ...body, header: { ...header, motionStep: 0 } })).toThrow(RangeError);
    const v3 = Uint8Array.from(v2);
    v3[1] = 0xb3;
    expect(() => parseTemporalPacket(v3)).toThrow(UnsupportedVersionError);
  });

  it('spends one byte on a skip and one byte of header on a delta', () => {
    expect(writeTemporalPacket({ kind: 'skip', sequence: 5, motion: new Uint8Array(0) })).toEqual(
      Uint8Array.of(0x45),
    );
    expect(writeTemporalPacket({ kind: 'delta', sequence: 5, motion: Uint8Array.of(0xaa) })).toEqual(
      Uint8Array.of(0x05, 0xaa),
    );
  });

  it('checks the CRC of key packets and rejects malformed packets', () => {
    const key = writeTemporalPacket({
      kind: 'key',
      sequence: 1,
      header,
      identity: Uint8Array.of(1),
      motion: Uint8Array.of(2),
    });
    const bad = key.slice();
    bad[5] = bad[5]! ^ 1;
    expect(() => parseTemporalPacket(bad)).toThrow(CrcMismatchError);
    expect(() => parseTemporalPacket(Uint8Array.of(0x41, 0))).toThrow(InvalidHeaderError);
    expect(() => parseTemporalPacket(Uint8Array.of(0xc1, 5, 1))).toThrow(InvalidHeaderError);
    expect(() => writeTemporalPacket({ kind: 'delta', sequence: 64, motion: new Uint8Array(0) })).toThrow(
      RangeError,
    );
  });
});
