import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex, webCryptoSha256 } from './sha256.js';

const nodeSha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256Hex (plain TypeScript, for pages without Web Crypto)', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    const enc = new TextEncoder();
    expect(sha256Hex(enc.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto at every padding boundary and on a large buffer', () => {
    let seed = 7;
    const bytes = (n: number) =>
      Uint8Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed >>> 24;
      });
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const b = bytes(n);
      expect(sha256Hex(b)).toBe(nodeSha(b));
    }
    const big = bytes(300_000);
    expect(sha256Hex(big)).toBe(nodeSha(big));
  });

  it('is what webCryptoSha256 falls back to without crypto.subtle', async () => {
    const parts = [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)];
    const withSubtle = await webCryptoSha256(...parts);
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      expect(await webCryptoSha256(...parts)).toBe(withSubtle);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'crypto', saved);
    }
  });
});
