import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_MODEL_DIR,
  FaceFitter,
  REFINEMENT_SPEC,
  cropBoxOf,
  createSyntheticFaceModel,
  decodeImage,
  readNpy,
  readSidecar,
  runDescriptorJob,
} from '@semface/extractor';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDescriptorSource } from './descriptor-source.js';

const SAMPLES = fileURLToPath(
  new URL('../../../extractor/node_modules/@vladmandic/face-api/demo/', import.meta.url),
);

// The expression refinement runs when its model is there (training/refine writes it).
const refine = existsSync(join(DEFAULT_MODEL_DIR, REFINEMENT_SPEC.refiner.model));
if (!refine)
  process.stdout.write(`refinement off: no ${REFINEMENT_SPEC.refiner.model} in ${DEFAULT_MODEL_DIR}\n`);

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
    const source = await loadDescriptorSource({ fitter: new FaceFitter(createSyntheticFaceModel()), refine });
    try {
      expect(source.models.map((m) => m.role)).toEqual([
        'detector',
        'mesh',
        'iris',
        ...(refine ? ['emotion', 'expression-refiner'] : []),
        'face-model',
      ]);
      for (const m of source.models.filter((m) => m.role !== 'face-model'))
        expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
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

  it('meshes a face crop the detector misses when cropFallback is on, and flags the row', async () => {
    const source = await loadDescriptorSource({ fitter: new FaceFitter(createSyntheticFaceModel()), refine });
    try {
      const [face] = await source.extract(
        await decodeImage(await sharp(join(SAMPLES, 'sample1.jpg')).toBuffer()),
        {
          allFaces: false,
        },
      );
      const b = face!.face.box;
      // A tight 48x48 gray crop without margin, like FER2013: BlazeFace needs context and misses it.
      const side = Math.round(b.width * 0.8);
      const crop = join(dir, 'crop.png');
      await sharp(join(SAMPLES, 'sample1.jpg'))
        .extract({
          left: Math.round(b.x + b.width * 0.1),
          top: Math.round(b.y + b.height * 0.15),
          width: side,
          height: side,
        })
        .resize(48, 48)
        .grayscale()
        .toFile(crop);
      const frame = await decodeImage(await sharp(crop).toBuffer());
      expect(await source.extract(frame, { allFaces: false })).toHaveLength(0);
      expect(cropBoxOf(frame, 0)).toEqual({ x: 0, y: 0, width: 48, height: 48 });

      const header = { command: 'test', models: source.models };
      const without = await runDescriptorJob([{ path: crop, kind: 'image' }], {
        out: join(dir, 'without.npy'),
        extractor: source,
        header,
      });
      expect(without.summary.failuresByCode).toEqual({ SEMFACE_ERR_NO_FACE: 1 });
      const withFallback = await runDescriptorJob([{ path: crop, kind: 'image' }], {
        out: join(dir, 'with.npy'),
        extractor: source,
        header,
        cropFallback: true,
      });
      expect(withFallback.rows).toBe(1);
      const row = (await readSidecar(withFallback.sidecarPath)).rows[0]!;
      expect(row.cropFallback).toBe(true);
      // The mesh sits on the face that fills the crop (the synthetic fitter's error is meaningless here).
      expect(row.box.width).toBeGreaterThan(24);
      expect(Math.abs(row.box.x + row.box.width / 2 - 24)).toBeLessThan(8);
      expect(Math.abs(row.box.y + row.box.height / 2 - 24)).toBeLessThan(10);
    } finally {
      await source.close();
    }
  });
});
