import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main.js';
import {
  DEFAULT_FACE_MODEL_DIR,
  DEFAULT_MODEL_DIR,
  REFINEMENT_SPEC,
  matrixRow,
  readNpy,
  readSidecar,
} from '@semface/extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// End-to-end `semface extract` with the real detector and fitter on the face-api sample photos.
const SAMPLES = fileURLToPath(
  new URL('../../../extractor/node_modules/@vladmandic/face-api/demo/', import.meta.url),
);
const hasFaceModel = existsSync(DEFAULT_FACE_MODEL_DIR);
if (!hasFaceModel) process.stdout.write('skipped: no packaged face model yet\n');
const hasRefiner = existsSync(join(DEFAULT_MODEL_DIR, REFINEMENT_SPEC.refiner.model));
if (!hasRefiner) process.stdout.write(`refinement off: no ${REFINEMENT_SPEC.refiner.model} yet\n`);

describe.skipIf(!hasFaceModel)('semface extract', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-cli-extract-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('extracts one descriptor per photo and records a broken file as a failure', async () => {
    const inputs = join(dir, 'inputs');
    await mkdir(inputs);
    await copyFile(join(SAMPLES, 'sample1.jpg'), join(inputs, 'a.jpg'));
    await copyFile(join(SAMPLES, 'sample2.jpg'), join(inputs, 'b.jpg'));
    await writeFile(join(inputs, 'c.jpg'), 'broken');
    const out = join(dir, 'out.npy');
    const code = await main([
      'extract',
      inputs,
      '-o',
      out,
      '--quiet',
      ...(hasRefiner ? [] : ['--no-refine']),
    ]);
    expect(code).toBe(0);
    const matrix = await readNpy(out);
    const sidecar = await readSidecar(join(dir, 'out.json'));
    expect(matrix.cols).toBe(257);
    expect(matrix.rows).toBe(2);
    expect(matrix.data.every(Number.isFinite)).toBe(true);
    expect(sidecar.rows.map((r) => r.source)).toEqual([join(inputs, 'a.jpg'), join(inputs, 'b.jpg')]);
    expect(sidecar.rows[0]!.detectorScore).toBeGreaterThan(0.5);
    expect(sidecar.rows[0]!.fitErrorPercent).toBeGreaterThan(0);
    expect(sidecar.failures).toEqual([
      expect.objectContaining({ source: join(inputs, 'c.jpg'), code: 'SEMFACE_ERR_IMAGE_UNREADABLE' }),
    ]);
    expect(sidecar.header.models.map((m) => m.role)).toEqual(
      expect.arrayContaining([
        'detector',
        'mesh',
        'face-model',
        ...(hasRefiner ? ['emotion', 'expression-refiner'] : []),
      ]),
    );
    expect(sidecar.header.command).toContain('semface extract');
    expect((await readFile(out)).length).toBe(128 + 2 * 257 * 4);
  });

  it.skipIf(!hasRefiner)('--no-refine keeps the plain fit: same rows but for expression 80:144', async () => {
    const image = join(dir, 'one.jpg');
    await copyFile(join(SAMPLES, 'sample1.jpg'), image);
    const refined = join(dir, 'refined.npy');
    const plain = join(dir, 'plain.npy');
    expect(await main(['extract', image, '-o', refined, '--quiet'])).toBe(0);
    expect(await main(['extract', image, '-o', plain, '--quiet', '--no-refine'])).toBe(0);
    const roles = (await readSidecar(join(dir, 'plain.json'))).header.models.map((m) => m.role);
    expect(roles).not.toContain('emotion');
    expect(roles).not.toContain('expression-refiner');
    const [a, b] = [matrixRow(await readNpy(refined), 0), matrixRow(await readNpy(plain), 0)];
    const { start, end } = REFINEMENT_SPEC.refiner.output;
    expect(a.subarray(0, start)).toEqual(b.subarray(0, start));
    expect(a.subarray(end)).toEqual(b.subarray(end));
    expect(a.subarray(start, end)).not.toEqual(b.subarray(start, end));
  });
});

describe('semface extract arguments', () => {
  it('exits 2 with usage when no input is given', async () => {
    expect(await main(['extract', '--quiet'])).toBe(2);
  });

  it('rejects bad numbers and unknown datasets', async () => {
    await expect(main(['extract', 'x.jpg', '-o', 'x.npy', '--fps', '0'])).rejects.toThrow(RangeError);
    await expect(main(['extract', '--dataset', 'imagenet'])).rejects.toThrow(/unknown dataset/);
  });
});
