/**
 * Command-line entry of the emotion cache builder (a development tool for training the expression
 * refiner, training/refine): for every row of a descriptor cache, the emotion network's
 * log-probabilities on that row's face crop, exactly as the extractor computes them at run time
 * (same frame decoding, same face box from the sidecar, same crop code; still images with the
 * contract's `stillViews`, video frames one crop, before the tracking path's moving average, which
 * training applies).
 *
 *   node packages/extractor/dist/cache/build-emotion-cache.js artifacts/cache/fer2013-train.npy [--out F] [--crop-scale S]
 *
 * Writes `<cache>.emotion.npy` (rows x 7, float32) unless `--out` says otherwise. The data root comes
 * from --data-root, env SEMFACE_DATA_ROOT, or ../shared/data.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataRoot } from '../input/data-root.js';
import { readImageFile } from '../input/image.js';
import { probeVideo, readVideoFrames } from '../input/video.js';
import { DEFAULT_MODEL_DIR } from '../models/model-files.js';
import { extractorModels } from '../models/session.js';
import { writeNpy } from '../output/npy.js';
import type { SidecarHeader, SidecarRow } from '../output/sidecar.js';
import { EMOTION_CROP_SCALE } from '../refine/emotion-crop.js';
import { EMOTION_VALUES, EmotionTeacher } from '../refine/emotion-teacher.js';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'data-root': { type: 'string' },
      out: { type: 'string' },
      'crop-scale': { type: 'string' },
      limit: { type: 'string' },
      stride: { type: 'string' },
    },
  });
  const [cache] = positionals;
  if (!cache?.endsWith('.npy')) {
    process.stderr.write(
      'usage: build-emotion-cache.js <cache.npy> [--out F] [--crop-scale S] [--stride N] [--limit N]\n',
    );
    process.exitCode = 2;
    return;
  }
  const dataRoot = resolveDataRoot(values['data-root']);
  const sidecar = JSON.parse(await readFile(cache.replace(/\.npy$/, '.json'), 'utf8')) as {
    header: SidecarHeader;
    rows: SidecarRow[];
  };
  const limit = values.limit ? Number(values.limit) : sidecar.rows.length;
  // --stride/--limit take a subset for calibration runs; the full cache is what training reads.
  const stride = values.stride ? Number(values.stride) : 1;
  const rows = sidecar.rows.filter((_, i) => i % stride === 0).slice(0, limit);
  const pre = sidecar.header.imagePreprocess;
  const models = extractorModels(DEFAULT_MODEL_DIR, 1);
  const teacher = await EmotionTeacher.create(
    models,
    values['crop-scale'] ? Number(values['crop-scale']) : EMOTION_CROP_SCALE,
  );
  const out = new Float32Array(rows.length * EMOTION_VALUES);
  const started = Date.now();
  const byVideo = new Map<string, number[]>();
  for (const [i, row] of rows.entries()) {
    if (row.frameIndex !== null) {
      const list = byVideo.get(row.source) ?? [];
      list.push(i);
      byVideo.set(row.source, list);
      continue;
    }
    const frame = await readImageFile(join(dataRoot, row.source), {
      ...(pre ? { minSide: pre.minSide, padFraction: pre.padFraction } : {}),
    });
    out.set(await teacher.logProbabilities(frame, [row.box], 'still'), i * EMOTION_VALUES);
    if (i % 2000 === 0)
      process.stderr.write(`${i}/${rows.length} rows, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  for (const [source, indices] of byVideo) {
    const path = join(dataRoot, source);
    const wanted = new Map(indices.map((i) => [rows[i]!.frameIndex!, i]));
    const info = await probeVideo(path);
    for await (const { frameIndex, frame } of readVideoFrames(path, { info })) {
      const i = wanted.get(frameIndex);
      if (i !== undefined) out.set(await teacher.logProbabilities(frame, [rows[i]!.box]), i * EMOTION_VALUES);
    }
    process.stderr.write(`${source}: ${indices.length} frames\n`);
  }
  await models.dispose();
  const dest = values.out ?? cache.replace(/\.npy$/, '.emotion.npy');
  await writeNpy(dest, { rows: rows.length, cols: EMOTION_VALUES, data: out });
  process.stdout.write(`${rows.length} rows -> ${dest} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

await main();
