import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cdfTableFromJson } from '../entropy/cdf-table.js';
import { StreamOrderError, UnknownModelIdError } from '../errors.js';
import { LIGHTING_LENGTH } from './identity-layer.js';
import { TemporalLatentDecoder, TemporalLatentEncoder } from './latent-temporal-stream.js';
import { xorshift32 } from '../test-support/latents.js';

const fixtureDir = new URL('../models/fixtures/tiny/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', fixtureDir), 'utf8'));
const ids: string[] = manifest.models.map((m: { id: string }) => m.id);
const cdfs = new Map(
  ids.map((id) => [
    id,
    cdfTableFromJson(JSON.parse(readFileSync(new URL(`${id}/cdf.json`, fixtureDir), 'utf8'))),
  ]),
);
const resolve = (id: string) => {
  const c = cdfs.get(id);
  if (!c) throw new UnknownModelIdError(id);
  return c;
};
const header = { motionModelId: ids[1]!, identityModelId: ids[2]!, lightingStep: 200 };
const identity = {
  latents: Int32Array.from({ length: 256 }, (_, i) => (i % 9) - 4),
  lighting: Int32Array.from({ length: LIGHTING_LENGTH }, (_, i) => 40 - 3 * i),
};

/** A slow random walk of integer latents (xorshift32), like a talking head's per-frame layer. */
function walk(frames: number, seed: number): Int32Array[] {
  const next = xorshift32(seed);
  let cur = Int32Array.from({ length: 256 }, (_, i) => (i < 40 ? (next() % 21) - 10 : 0));
  const out: Int32Array[] = [];
  for (let t = 0; t < frames; t++) {
    cur = Int32Array.from(cur, (v, i) => (i < 40 && next() % 4 === 0 ? v + (next() % 5) - 2 : v));
    out.push(cur);
  }
  return out;
}

describe('temporal latent stream', () => {
  it('decodes exactly the encoder reference; the dead zone bounds the error', () => {
    for (const deadZone of [0, 1, 2]) {
      const enc = new TemporalLatentEncoder(resolve);
      const dec = new TemporalLatentDecoder(resolve);
      walk(60, 7).forEach((m, t) => {
        const f = t === 0 ? enc.encodeKey(header, identity, m) : enc.encodeDelta(m, { deadZone });
        const d = dec.decode(f.packet);
        expect(d.kind).toBe(f.kind);
        expect(d.motion).toEqual(f.motion);
        expect(d.identity).toEqual(identity);
        for (let c = 0; c < 256; c++) expect(Math.abs(d.motion[c]! - m[c]!)).toBeLessThanOrEqual(deadZone);
      });
    }
  });

  it('sends a one-byte skip when nothing moved beyond the dead zone', () => {
    const enc = new TemporalLatentEncoder(resolve);
    const m = walk(1, 3)[0]!;
    enc.encodeKey(header, identity, m);
    const nudged = Int32Array.from(m, (v, i) => (i === 3 ? v + 1 : v));
    const f = enc.encodeDelta(nudged, { deadZone: 1 });
    expect(f.kind).toBe('skip');
    expect(f.packet.length).toBe(1);
    expect(enc.encodeDelta(nudged, { deadZone: 0 }).kind).toBe('delta');
  });

  it('after a dropped delta refuses packets until the next key frame, then is bit-exact again', () => {
    const enc = new TemporalLatentEncoder(resolve);
    const dec = new TemporalLatentDecoder(resolve);
    const frames = walk(30, 11).map((m, t) =>
      t % 10 === 0 ? enc.encodeKey(header, identity, m) : enc.encodeDelta(m, { deadZone: 0 }),
    );
    for (let t = 0; t < 4; t++) dec.decode(frames[t]!.packet);
    // frame 4 is lost
    expect(frames[5]!.kind).toBe('delta');
    expect(() => dec.decode(frames[5]!.packet)).toThrow(StreamOrderError);
    expect(dec.needsKeyFrame).toBe(true);
    for (let t = 6; t < 10; t++) expect(() => dec.decode(frames[t]!.packet)).toThrow(StreamOrderError);
    for (let t = 10; t < 30; t++) {
      const d = dec.decode(frames[t]!.packet);
      expect(d.motion).toEqual(frames[t]!.motion);
    }
    expect(dec.needsKeyFrame).toBe(false);
    dec.reportLoss();
    expect(() => dec.decode(enc.encodeDelta(walk(1, 99)[0]!).packet)).toThrow(StreamOrderError);
  });

  it('carries identity updates in order and refuses deltas before any key frame', () => {
    const enc = new TemporalLatentEncoder(resolve);
    const dec = new TemporalLatentDecoder(resolve);
    expect(() => enc.encodeDelta(new Int32Array(256))).toThrow(StreamOrderError);
    const m = walk(3, 5);
    const k = enc.encodeKey(header, identity, m[0]!);
    const newId = { latents: identity.latents.map((v) => v + 1), lighting: identity.lighting.map((v) => -v) };
    const u = enc.encodeDelta(m[0]!, { identity: newId });
    expect(u.kind).toBe('identity');
    expect(() => dec.decode(u.packet)).toThrow(StreamOrderError);
    dec.decode(k.packet);
    const d = dec.decode(u.packet);
    expect(d).toMatchObject({ identityChanged: true, motionChanged: false });
    expect(d.identity).toEqual(newId);
  });
});
