import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '@semface/extractor';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerificationPair, VerificationSet } from '../data/verification-set.js';
import { IDENTITY_CODE_CURVE, identityCodePoints } from './identity-code-eval.js';

// Synthetic identities (no real faces): 40 people x 4 images, 128-D embeddings = person centre + noise.
function synthetic(dir: string): VerificationSet {
  let s = 0x2545f491;
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32 - 0.5;
  };
  const people = 40;
  const per = 4;
  const centres = Array.from({ length: people }, () => Float32Array.from({ length: 128 }, rnd));
  const data = new Float32Array(people * per * 128);
  const rows: { source: string }[] = [];
  const path = (p: number, i: number) => `P${p}/P${p}_${String(i + 1).padStart(4, '0')}.jpg`;
  for (let p = 0; p < people; p++) {
    for (let i = 0; i < per; i++) {
      const r = rows.length;
      for (let d = 0; d < 128; d++) data[r * 128 + d] = centres[p]![d]! + 0.25 * rnd();
      rows.push({ source: `lfw/lfw-deepfunneled/${path(p, i)}` });
    }
  }
  writeFileSync(join(dir, 'lfw-rows.json'), JSON.stringify({ rows }));
  const pairs: VerificationPair[] = [];
  for (let f = 0; f < 2; f++) {
    for (let p = f * 20; p < f * 20 + 20; p++) {
      pairs.push({ pathA: `/x/${path(p, 0)}`, pathB: `/x/${path(p, 1 + (p % 3))}`, same: true, fold: f });
      pairs.push({
        pathA: `/x/${path(p, 2)}`,
        pathB: `/x/${path(f * 20 + ((p + 7) % 20), 3)}`,
        same: false,
        fold: f,
      });
    }
  }
  const images = [...new Set(pairs.flatMap((p) => [p.pathA, p.pathB]))];
  return { name: 'synthetic', folds: 2, pairs, images, ...{ data } } as VerificationSet & {
    data: Float32Array;
  };
}

describe('identity-code eval points', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semface-idcode-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('codes every image through the bitstream and scores each rate point plus the ceiling', async () => {
    const set = synthetic(dir) as VerificationSet & { data: Float32Array };
    const npy = join(dir, 'lfw-faceapi.npy');
    await writeNpy(npy, { rows: set.data.length / 128, cols: 128, data: set.data });
    const notes: string[] = [];
    const points = await identityCodePoints(
      set,
      {
        pairsFile: '',
        imageRoot: '',
        descriptors: '',
        sizes: [],
        identityCodeEmbeddings: npy,
        identityCodeModels: join(dir, 'none'),
      },
      notes,
    );
    expect(notes.join(' ')).toMatch(/shipped model/);
    const coded = points.filter((p) => p.curve === IDENTITY_CODE_CURVE);
    expect(coded.map((p) => p.bitsPerFace)).toEqual([32, 64, 128, 256, 512]);
    const ceiling = points.find((p) => p.family === 'ceiling')!;
    expect(ceiling.bitsPerFace).toBe(4096);
    for (const p of [ceiling, ...coded]) {
      expect(p.items).toBe(80);
      expect(p.covered).toBe(80);
      expect(p.accuracy).toBeGreaterThan(0.8);
    }
  });

  it('adds no points without embeddings', async () => {
    const notes: string[] = [];
    const set: VerificationSet = { name: 's', folds: 1, pairs: [], images: [] };
    expect(
      await identityCodePoints(set, { pairsFile: '', imageRoot: '', descriptors: '', sizes: [] }, notes),
    ).toEqual([]);
    expect(notes).toHaveLength(1);
  });
});
