import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the published CRC-32/IEEE check values', () => {
    expect(crc32(ascii(''))).toBe(0);
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
  });

  it('can be computed in pieces', () => {
    const all = ascii('123456789');
    expect(crc32(all.subarray(4), crc32(all.subarray(0, 4)))).toBe(0xcbf43926);
  });
});
