/**
 * Command-line entry of the mesh-cache builder (a development tool for training the face model):
 *
 *   node packages/extractor/dist/cache/build-mesh-cache.js lfw    artifacts/cache/lfw    [--stride N] [--limit N]
 *   node packages/extractor/dist/cache/build-mesh-cache.js videos artifacts/cache/videos [--frame-stride N]
 *
 * The data root comes from --data-root, env SEMFACE_DATA_ROOT, or ../shared/data.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataRoot } from '../input/data-root.js';
import { FaceMeshDetector } from '../mesh/face-mesh-detector.js';
import { type MeshCacheProgress, buildLfwCache, buildVideoCache } from './mesh-cache.js';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'data-root': { type: 'string' },
      stride: { type: 'string', default: '1' },
      limit: { type: 'string' },
      'frame-stride': { type: 'string', default: '2' },
    },
  });
  const [what, out] = positionals;
  if ((what !== 'lfw' && what !== 'videos') || !out) {
    process.stderr.write(
      'usage: build-mesh-cache.js lfw|videos <outDir> [--stride N] [--limit N] [--frame-stride N]\n',
    );
    process.exitCode = 2;
    return;
  }
  const dataRoot = resolveDataRoot(values['data-root']);
  const detector = await FaceMeshDetector.create();
  const started = Date.now();
  const onProgress = (p: MeshCacheProgress): void => {
    const s = (Date.now() - started) / 1000;
    process.stderr.write(`${p.done}/${p.total} inputs, ${p.faces} faces, ${s.toFixed(0)} s\n`);
  };
  let rows: number;
  if (what === 'lfw') {
    rows = await buildLfwCache(detector, join(dataRoot, 'lfw'), out, {
      stride: Number(values.stride),
      ...(values.limit ? { limit: Number(values.limit) } : {}),
      onProgress,
    });
  } else {
    const dir = join(dataRoot, 'videos');
    const clips = (await readdir(dir)).filter((f) => f.endsWith('.mp4')).sort();
    rows = await buildVideoCache(
      detector,
      clips.map((c) => join(dir, c)),
      out,
      { frameStride: Number(values['frame-stride']), onProgress },
    );
  }
  await detector.dispose();
  process.stdout.write(
    `${rows} faces written to ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
}

await main();
