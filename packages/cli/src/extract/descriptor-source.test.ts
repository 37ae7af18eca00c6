import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FaceFitter,
  createSyntheticFaceModel,
  readNpy,
  readSidecar,
  runDescriptorJob,
} from '@semface/extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDescriptorSource } from './descriptor-source.js';

const SAMPLES = fileURLToPath(
  new URL('../../../extractor/node_modules/@vladmandic/face-api/demo/', import.meta.url),
);

// Real detector and mesh on the face-api demo photos; the fitter runs over the synthetic face
// model so this test does not depend on the learned model being shipped.
describe('loadDescriptorSource', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-source-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('detects, fits and writes 257-D rows with model hashes', async () => {
    const source = await loadDescriptorSource({ fitter: new FaceFitter(createSyntheticFaceModel()) });
    try {
      expect(source.models.find((m) => m.role === 'detector')?.sha256).toMatch(/^[0-9a-f]{64}$/);
      const image = join(dir, 'face.jpg');
      await copyFile(join(SAMPLES, 'sample1.jpg'), image);
      const out = join(dir, 'out.npy');
      const result = await runDescriptorJob([{ path: image, kind: 'image' }], {
        out,
        extractor: source,
        header: { command: 'test', models: source.models },
      });
      expect(result.summary.succeeded).toBe(1);
      const matrix = await readNpy(out);
      expect([matrix.rows, matrix.cols]).toEqual([1, 257]);
      expect(matrix.data.every(Number.isFinite)).toBe(true);
      const row = (await readSidecar(result.sidecarPath)).rows[0]!;
      expect(row.detectorScore).toBeGreaterThan(0.5);
      expect(row.box.width).toBeGreaterThan(20);
      expect(Number.isFinite(row.fitErrorPercent)).toBe(true);
    } finally {
      await source.close();
    }
  });
});
