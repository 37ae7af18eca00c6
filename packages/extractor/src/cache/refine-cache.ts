/**
 * Command-line entry that refines a descriptor cache with the shipped expression refiner, through the
 * extractor's own {@link ExpressionRefiner} (so the rows are what `semface extract` writes with
 * refinement on, given the same fits), reading the emotion values written by build-emotion-cache.js:
 *
 *   node packages/extractor/dist/cache/refine-cache.js artifacts/cache/unrefined/lfw.npy artifacts/cache/lfw.npy
 *
 * The sidecar is copied with the emotion and refiner files added to its models. `fitErrorPercent` stays
 * the unrefined fit's (a cache holds no detected meshes to re-measure against); the header says so.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../models/model-files.js';
import { extractorModels } from '../models/session.js';
import { matrixRow, readNpy, writeNpy } from '../output/npy.js';
import { sha256File } from '../pipeline/model-records.js';
import { EmotionSmoother } from '../refine/emotion-smoother.js';
import { EMOTION_VALUES } from '../refine/emotion-teacher.js';
import { ExpressionRefiner } from '../refine/expression-refiner.js';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';

async function main(): Promise<void> {
  const [src, dst] = process.argv.slice(2);
  if (!src?.endsWith('.npy') || !dst?.endsWith('.npy') || src === dst) {
    process.stderr.write('usage: refine-cache.js <unrefined.npy> <refined.npy>\n');
    process.exitCode = 2;
    return;
  }
  const x = await readNpy(src);
  const emotion = await readNpy(src.replace(/\.npy$/, '.emotion.npy'));
  if (emotion.rows !== x.rows || emotion.cols !== EMOTION_VALUES) {
    throw new RangeError(
      `emotion cache has ${emotion.rows} x ${emotion.cols}, expected ${x.rows} x ${EMOTION_VALUES}`,
    );
  }
  const side = JSON.parse(await readFile(src.replace(/\.npy$/, '.json'), 'utf8'));
  // Video rows: the tracking path's filter over consecutive frames of a clip, as the extractor runs it.
  const smoother = new EmotionSmoother();
  side.rows.forEach((row: { source: string; frameIndex: number | null }, i: number) => {
    if (row.frameIndex === null) return;
    const prev = side.rows[i - 1];
    if (!(prev && prev.source === row.source && prev.frameIndex === row.frameIndex - 1)) smoother.reset();
    smoother.apply(emotion.data.subarray(i * EMOTION_VALUES, (i + 1) * EMOTION_VALUES));
  });
  const models = extractorModels(DEFAULT_MODEL_DIR, 1);
  const refiner = await ExpressionRefiner.create(models);
  const out = new Float32Array(x.data.length);
  const batch = 512;
  for (let s = 0; s < x.rows; s += batch) {
    const n = Math.min(batch, x.rows - s);
    const rows = Array.from({ length: n }, (_, i) => matrixRow(x, s + i));
    const refined = await refiner.refine(
      rows,
      emotion.data.subarray(s * EMOTION_VALUES, (s + n) * EMOTION_VALUES),
    );
    refined.forEach((r, i) => out.set(r, (s + i) * x.cols));
  }
  await models.dispose();
  await writeNpy(dst, { rows: x.rows, cols: x.cols, data: out });
  const files = [
    ['emotion', REFINEMENT_SPEC.emotion.model],
    ['expression-refiner', REFINEMENT_SPEC.refiner.model],
  ] as const;
  for (const [role, id] of files) {
    side.header.models = [
      ...side.header.models.filter((m: { role: string }) => m.role !== role),
      { role, id, sha256: await sha256File(join(DEFAULT_MODEL_DIR, id)) },
    ];
  }
  side.header.refinedBy = `node packages/extractor/dist/cache/refine-cache.js ${src} ${dst}`;
  side.header.fitErrorPercent = 'unrefined fit (the cache holds no detected meshes)';
  await writeFile(dst.replace(/\.npy$/, '.json'), JSON.stringify(side));
  process.stdout.write(`${x.rows} rows refined -> ${dst}\n`);
}

await main();
