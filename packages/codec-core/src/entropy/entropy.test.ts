import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CorruptPayloadError, InvalidModelError } from '../errors.js';
import { testLatents } from '../test-support/latents.js';
import { RangeDecoder, RangeEncoder } from './range-coder.js';
import { cdfTableFromJson } from './cdf-table.js';
import { FactorizedDecoder, FactorizedEncoder } from './factorized-coder.js';
import { PpmDecoder, PpmEncoder } from './ppm-coder.js';
import { MAX_LATENT_MAGNITUDE, toSigned, toUnsigned } from './signed-map.js';

const fixtureDir = new URL('../models/fixtures/tiny/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', fixtureDir), 'utf8'));
const cdfJson = JSON.parse(readFileSync(new URL(`${manifest.models[0].id}/cdf.json`, fixtureDir), 'utf8'));

describe('signed map', () => {
  it('maps 0,-1,1,-2,2 to 0..4 and back', () => {
    expect([0, -1, 1, -2, 2].map(toUnsigned)).toEqual([0, 1, 2, 3, 4]);
    for (let v = -1000; v <= 1000; v++) expect(toSigned(toUnsigned(v))).toBe(v);
  });
});

describe('binary range coder', () => {
  it('round-trips bits under extreme and varying probabilities', () => {
    const bits: number[] = [];
    const probs: number[] = [];
    let s = 12345;
    for (let i = 0; i < 20000; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const p = [1, 4095, 2048, 100, 3900][i % 5]!;
      probs.push(p);
      bits.push((s >>> 16) % 4096 < p ? 0 : 1);
    }
    const enc = new RangeEncoder();
    bits.forEach((b, i) => enc.encode(b, probs[i]!));
    const bytes = enc.finish();
    const dec = new RangeDecoder(bytes);
    expect(bits.map((_, i) => dec.decode(probs[i]!))).toEqual(bits);
  });

  it('codes highly probable bits in far less than one bit each', () => {
    const enc = new RangeEncoder();
    for (let i = 0; i < 8000; i++) enc.encode(0, 4000);
    expect(enc.finish().length).toBeLessThan(40);
  });
});

describe('range coder, multi-symbol', () => {
  it('round-trips symbols of a 16-bit CDF mixed with binary decisions', () => {
    const cdf = Uint32Array.of(0, 40000, 65000, 65535, 65536);
    const syms = Array.from({ length: 5000 }, (_, i) => [0, 1, 0, 2, 3, 0, 1][i % 7]!);
    const enc = new RangeEncoder();
    syms.forEach((s, i) => {
      enc.encodeFreq(cdf[s]!, cdf[s + 1]! - cdf[s]!);
      enc.encode(i & 1, 300);
    });
    const dec = new RangeDecoder(enc.finish());
    const got = syms.map((_, i) => {
      const s = dec.decodeFreq(cdf, 0, 3);
      expect(dec.decode(300)).toBe(i & 1);
      return s;
    });
    expect(got).toEqual(syms);
  });

  it('costs close to the ideal code length', () => {
    const enc = new RangeEncoder();
    for (let i = 0; i < 10000; i++) enc.encodeFreq(0, 60000);
    const ideal = (10000 * Math.log2(65536 / 60000)) / 8;
    expect(enc.finish().length).toBeLessThan(ideal * 1.01 + 2);
  });

  it('rejects an initial code outside the range', () => {
    expect(() => new RangeDecoder(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(CorruptPayloadError);
  });
});

describe('factorised prior coder', () => {
  const table = cdfTableFromJson(cdfJson);

  it('round-trips frames including escapes and extreme values', () => {
    const frames = testLatents(30, 256, 99);
    frames.push(
      Int32Array.from({ length: 256 }, (_, c) => (c % 2 ? 1 : -1) * (MAX_LATENT_MAGNITUDE >> (c % 23))),
    );
    const enc = new FactorizedEncoder(table);
    const dec = new FactorizedDecoder(table);
    for (const f of frames) expect(dec.decodeFrame(enc.encodeFrame(f))).toEqual(f);
  });

  it('validates cdf.json', () => {
    expect(() => cdfTableFromJson({ ...cdfJson, precision: 15 })).toThrow(InvalidModelError);
    const bad = structuredClone(cdfJson);
    bad.cdf[3][2] = bad.cdf[3][1];
    expect(() => cdfTableFromJson(bad)).toThrow(InvalidModelError);
    expect(() => cdfTableFromJson(null)).toThrow(InvalidModelError);
  });
});

describe('PPM coder', () => {
  it('round-trips a sequence of frames with persistent statistics', () => {
    const frames = testLatents(40, 256, 7);
    const enc = new PpmEncoder(256);
    const dec = new PpmDecoder(256);
    for (const f of frames) expect(dec.decodeFrame(enc.encodeFrame(f))).toEqual(f);
  });

  it('learns: repeated frames get cheaper, and reset restores the first-frame cost', () => {
    const [frame] = testLatents(1, 256, 3);
    const enc = new PpmEncoder(256);
    const first = enc.encodeFrame(frame!).length;
    let later = first;
    for (let i = 0; i < 10; i++) later = enc.encodeFrame(frame!).length;
    expect(later).toBeLessThan(first / 2);
    enc.reset();
    expect(enc.encodeFrame(frame!).length).toBe(first);
  });

  it('rejects latents beyond the supported magnitude', () => {
    const f = new Int32Array(256);
    f[5] = MAX_LATENT_MAGNITUDE + 1;
    expect(() => new PpmEncoder(256).encodeFrame(f)).toThrow(RangeError);
  });
});
