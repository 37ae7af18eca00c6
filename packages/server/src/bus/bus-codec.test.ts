import { describe, expect, it } from 'vitest';
import {
  BUS_HEADER_BYTES,
  BusCodec,
  CLUSTER_CHANNEL_LABEL,
  deriveBusKey,
  roomChannelLabel,
} from './bus-codec.js';

const secret = 'x'.repeat(32);
const body = new Uint8Array([10, 3, 97, 98, 99]);

describe('BusCodec', () => {
  it('round-trips a body for its channel only', () => {
    const c = new BusCodec(deriveBusKey(secret));
    const sealed = c.seal(roomChannelLabel('r1'), body);
    expect(sealed.length).toBe(BUS_HEADER_BYTES + body.length);
    expect(Array.from(c.open(roomChannelLabel('r1'), sealed) as Uint8Array)).toEqual(Array.from(body));
    expect(c.open(roomChannelLabel('r2'), sealed)).toBe('bad_signature');
    expect(c.open(CLUSTER_CHANNEL_LABEL, sealed)).toBe('bad_signature');
  });

  it('refuses other keys, tampering anywhere, and bad framing', () => {
    const c = new BusCodec(deriveBusKey(secret));
    const other = new BusCodec(deriveBusKey('y'.repeat(32)));
    const sealed = c.seal('cluster', body);
    expect(other.open('cluster', sealed)).toBe('bad_signature');
    for (let i = 1; i < sealed.length; i++) {
      const t = Uint8Array.from(sealed);
      t[i]! ^= 0x40;
      expect(c.open('cluster', t)).toBe('bad_signature');
    }
    const wrongVersion = Uint8Array.from(sealed);
    wrongVersion[0] = 2;
    expect(c.open('cluster', wrongVersion)).toBe('malformed');
    expect(c.open('cluster', sealed.subarray(0, BUS_HEADER_BYTES))).toBe('malformed');
    expect(c.open('cluster', body)).toBe('malformed');
  });

  it('derives a key that differs from the secret and needs 32 bytes', () => {
    const k = deriveBusKey(secret);
    expect(k.length).toBe(32);
    expect(k.equals(Buffer.from(secret))).toBe(false);
    expect(() => new BusCodec(new Uint8Array(16))).toThrow(RangeError);
  });
});
