import { describe, expect, it } from 'vitest';
import { testLatents } from '../test-support/latents.js';
import { ResidualDecoder, ResidualEncoder } from './residual-coder.js';

describe('residual coder', () => {
  it('round-trips residual frames, including skips, with shared statistics', () => {
    const frames = testLatents(20, 256, 5, 1);
    const enc = new ResidualEncoder(256);
    const dec = new ResidualDecoder(256);
    frames.forEach((f, i) => {
      if (i % 5 === 4) {
        enc.skipFrame();
        dec.skipFrame();
        return;
      }
      expect(dec.decodeFrame(enc.encodeFrame(f))).toEqual(f);
    });
  });

  it('makes mostly-zero residuals cheap once the statistics have adapted', () => {
    const enc = new ResidualEncoder(256);
    const sizes: number[] = [];
    for (let t = 0; t < 40; t++) {
      const r = new Int32Array(256);
      r[t % 7] = t % 2 ? 1 : -1;
      sizes.push(enc.encodeFrame(r).length);
    }
    // 256 zero flags + one +-1: about 1-2 bits of information plus the range coder's flush.
    expect(Math.max(...sizes.slice(20))).toBeLessThanOrEqual(3);
    const noisy = enc.encodeFrame(Int32Array.from({ length: 256 }, (_, i) => (i % 5) - 2));
    expect(noisy.length).toBeGreaterThan(40);
  });

  it('codes large magnitudes up to twice the latent limit', () => {
    const r = Int32Array.from([8_388_606, -8_388_606, 0, 1, -1, 12345]);
    const enc = new ResidualEncoder(6);
    expect(new ResidualDecoder(6).decodeFrame(enc.encodeFrame(r))).toEqual(r);
  });
});
