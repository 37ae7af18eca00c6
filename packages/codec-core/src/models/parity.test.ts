import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

// Self-contained check of the committed trained models against the PyTorch reference outputs
// written by training/codec (parity-<profile>.json): it reads the files directly so a bug in the
// model store cannot hide a bad export.

const modelsDir = fileURLToPath(new URL('../../models/', import.meta.url));
const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface ParityFixture {
  readonly modelId: string;
  readonly profile: string;
  readonly rows: number;
  readonly inputDim: number;
  readonly latentDim: number;
  readonly x: number[];
  readonly y: number[];
  readonly yHat: number[];
  readonly xHat: number[];
}

interface ManifestEntry {
  readonly id: string;
  readonly profile: string;
  readonly latentDim: number;
  readonly files: Record<'analysis' | 'synthesis' | 'cdf', string>;
  readonly sha256: Record<'analysis' | 'synthesis' | 'cdf', string>;
}

const fixtureNames = existsSync(fixturesDir)
  ? readdirSync(fixturesDir).filter((f) => /^parity-\w+\.json$/.test(f))
  : [];
const manifestPath = join(modelsDir, 'manifest.json');
const manifest: { models: ManifestEntry[] } = existsSync(manifestPath)
  ? JSON.parse(readFileSync(manifestPath, 'utf8'))
  : { models: [] };

function sha256(...parts: Buffer[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Largest |a - b| relative to max(1, |b|). */
function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  }
  return worst;
}

describe.skipIf(manifest.models.length === 0)('trained model files', () => {
  it.each(manifest.models.map((m) => [m.id, m] as const))('%s: hashes, id and cdf.json contract', (id, m) => {
    const read = (k: 'analysis' | 'synthesis' | 'cdf') => readFileSync(join(modelsDir, id, m.files[k]));
    const [a, s, c] = [read('analysis'), read('synthesis'), read('cdf')];
    expect(sha256(a, s, c).slice(0, 12)).toBe(id);
    expect({ analysis: sha256(a), synthesis: sha256(s), cdf: sha256(c) }).toEqual(m.sha256);
    const table = JSON.parse(c.toString('utf8')) as {
      precision: number;
      channels: number;
      min: number[];
      cdf: number[][];
    };
    expect(table.precision).toBe(16);
    expect(table.channels).toBe(m.latentDim);
    expect(table.min).toHaveLength(m.latentDim);
    expect(table.cdf).toHaveLength(m.latentDim);
    for (const cdf of table.cdf) {
      expect(cdf.length).toBeGreaterThanOrEqual(3);
      expect(cdf[0]).toBe(0);
      expect(cdf[cdf.length - 1]).toBe(65536);
      for (let i = 1; i < cdf.length; i++) expect(cdf[i]! > cdf[i - 1]!).toBe(true);
    }
  });
});

describe.skipIf(fixtureNames.length === 0)('PyTorch vs ONNX parity', () => {
  it.each(fixtureNames)('%s', async (name) => {
    const fx = JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as ParityFixture;
    const entry = manifest.models.find((m) => m.id === fx.modelId);
    expect(entry?.profile).toBe(fx.profile);
    const dir = join(modelsDir, fx.modelId);
    const analysis = await ort.InferenceSession.create(join(dir, entry!.files.analysis));
    const synthesis = await ort.InferenceSession.create(join(dir, entry!.files.synthesis));

    const x = new ort.Tensor('float32', Float32Array.from(fx.x), [fx.rows, fx.inputDim]);
    const y = (await analysis.run({ x })).y!;
    expect(y.dims).toEqual([fx.rows, fx.latentDim]);
    const yData = y.data as Float32Array;
    expect(maxRelativeError(yData, fx.y)).toBeLessThan(1e-4);
    // The codec's rounding rule; values within 1e-3 of a tie could legitimately round either way.
    for (let i = 0; i < fx.yHat.length; i++) {
      if (Math.abs(fx.y[i]! - Math.floor(fx.y[i]!) - 0.5) > 1e-3) {
        expect(Math.floor(yData[i]! + 0.5)).toBe(fx.yHat[i]);
      }
    }

    const yHat = new ort.Tensor('float32', Float32Array.from(fx.yHat), [fx.rows, fx.latentDim]);
    const xHat = (await synthesis.run({ y_hat: yHat })).x_hat!;
    expect(xHat.dims).toEqual([fx.rows, fx.inputDim]);
    expect(maxRelativeError(xHat.data as Float32Array, fx.xHat)).toBeLessThan(1e-4);
  });
});
