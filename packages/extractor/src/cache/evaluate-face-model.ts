/**
 * Fits every row of a mesh cache with the face model (development tool):
 *
 *   node packages/extractor/dist/cache/evaluate-face-model.js <cacheDir> <outDir> [--model <dir>] [--no-mirror]
 *     [--shape-iterations N] [--appearance-iterations N] [--texture-steps N]
 *
 * Writes `<outDir>/descriptors.npy` (N x 257), `<outDir>/mirrored.npy` (N x 257: the fit of the
 * horizontally mirrored mesh), `<outDir>/fit.npy` (N x 2: fit error in % IOD, fit time in ms) and
 * copies the cache's `meta.jsonl`. training/facemodel/evaluate.py turns these into metrics.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DESCRIPTOR_LENGTH } from '@semface/codec-core';
import { DEFAULT_FACE_MODEL_DIR } from '../fit/face-fitter.js';
import { DEFAULT_FACE_FITTER_OPTIONS, FaceFitter } from '../fit/face-fitter.js';
import { readNpy, writeNpy } from '../output/npy.js';
import { MESH_VERTEX_COUNT } from '../types.js';
import type { MeshCacheRow } from './mesh-cache.js';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string', default: DEFAULT_FACE_MODEL_DIR },
      'shape-iterations': { type: 'string' },
      'appearance-iterations': { type: 'string' },
      'texture-steps': { type: 'string' },
      'no-mirror': { type: 'boolean', default: false },
    },
  });
  const [cacheDir, outDir] = positionals;
  if (!cacheDir || !outDir) {
    process.stderr.write('usage: evaluate-face-model.js <cacheDir> <outDir> [--model <dir>]\n');
    process.exitCode = 2;
    return;
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const fitter = await FaceFitter.load(values.model, {
    shapeIterations: num(values['shape-iterations']) ?? DEFAULT_FACE_FITTER_OPTIONS.shapeIterations,
    appearanceIterations:
      num(values['appearance-iterations']) ?? DEFAULT_FACE_FITTER_OPTIONS.appearanceIterations,
    textureSolverSteps: num(values['texture-steps']) ?? DEFAULT_FACE_FITTER_OPTIONS.textureSolverSteps,
  });
  const meshes = await readNpy(join(cacheDir, 'meshes.npy'));
  const colors = await readNpy(join(cacheDir, 'colors.npy'));
  const meta = (await readFile(join(cacheDir, 'meta.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as MeshCacheRow);
  const n = meshes.rows;
  if (colors.rows !== n || meta.length !== n) throw new Error('cache arrays disagree in length');
  const d = MESH_VERTEX_COUNT * 3;
  const descriptors = new Float32Array(n * DESCRIPTOR_LENGTH);
  const mirrored = new Float32Array(n * DESCRIPTOR_LENGTH);
  const fit = new Float32Array(n * 2);
  const mesh = new Float32Array(d);
  const mirrorMesh = new Float32Array(d);
  const mirrorColors = new Float64Array(d);
  const face = {
    box: { x: 0, y: 0, width: 0, height: 0 },
    score: 1,
    meshScore: 1,
    pointCount: MESH_VERTEX_COUNT,
  };
  for (let i = 0; i < n; i++) {
    const row = meta[i] as MeshCacheRow;
    mesh.set(meshes.data.subarray(i * d, (i + 1) * d));
    const col = colors.data.subarray(i * d, (i + 1) * d);
    const size = { width: row.width, height: row.height };
    const t0 = performance.now();
    const r = fitter.fitWithColors({ ...face, mesh }, col, size);
    fit[i * 2 + 1] = performance.now() - t0;
    fit[i * 2] = r.fitErrorPercent;
    descriptors.set(r.descriptor, i * DESCRIPTOR_LENGTH);
    if (values['no-mirror']) continue;
    // What the detector would report on the mirrored image: vertex i sits where its partner was.
    for (let v = 0; v < MESH_VERTEX_COUNT; v++) {
      const j = fitter.mirror[v] as number;
      mirrorMesh[v * 3] = row.width - (mesh[j * 3] as number);
      mirrorMesh[v * 3 + 1] = mesh[j * 3 + 1] as number;
      mirrorMesh[v * 3 + 2] = mesh[j * 3 + 2] as number;
      for (let c = 0; c < 3; c++) mirrorColors[v * 3 + c] = col[j * 3 + c] as number;
    }
    mirrored.set(
      fitter.fitWithColors({ ...face, mesh: mirrorMesh }, mirrorColors, size).descriptor,
      i * DESCRIPTOR_LENGTH,
    );
    if ((i + 1) % 2000 === 0) process.stderr.write(`${i + 1}/${n}\n`);
  }
  await mkdir(outDir, { recursive: true });
  await writeNpy(join(outDir, 'descriptors.npy'), { rows: n, cols: DESCRIPTOR_LENGTH, data: descriptors });
  await writeNpy(join(outDir, 'mirrored.npy'), { rows: n, cols: DESCRIPTOR_LENGTH, data: mirrored });
  await writeNpy(join(outDir, 'fit.npy'), { rows: n, cols: 2, data: fit });
  await copyFile(join(cacheDir, 'meta.jsonl'), join(outDir, 'meta.jsonl'));
  process.stdout.write(`${n} faces fitted into ${outDir}\n`);
}

await main();
