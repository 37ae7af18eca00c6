#!/usr/bin/env node
// Identity-code research cache (issue 13): for every LFW (deep-funneled) and Yale image, run the
// extractor's FaceMeshDetector (defaults, largest face) once and store
//   <out>/<set>-mesh.npy     N x 956 float32  (478 mesh points, x,y in image pixels)
//   <out>/<set>-faceapi.npy  N x 128 float32  (face-api descriptor of the mesh-aligned crop, as the sender)
//   <out>/<set>-rows.json    sources (relative to the data root), labels, failures
// Python (training/idcode) computes the other recognisers' embeddings from the images + mesh.
// Usage: nice -n 10 node scripts/idcode/extract-landmarks.mjs [--data ../shared/data] [--out artifacts/cache/idcode] [--set lfw|yale] [--limit N]
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  FaceEmbedder,
  FaceMeshDetector,
  NpyStreamWriter,
  alignedFaceBox,
  readImageFile,
} from '../../packages/extractor/dist/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    out: { type: 'string', default: 'artifacts/cache/idcode' },
    set: { type: 'string', default: 'lfw' },
    limit: { type: 'string' },
  },
});
const dataRoot = resolve(values.data);
const out = resolve(values.out);
await mkdir(out, { recursive: true });

async function listImages(set) {
  if (set === 'yale') {
    const dir = join(dataRoot, 'yale_faces/faces_yale/original');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    return files.map((f) => ({ path: join(dir, f), label: f.split('_')[0] }));
  }
  const root = join(dataRoot, 'lfw/lfw-deepfunneled');
  const people = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const paths = [];
  for (const p of people) {
    const files = (await readdir(join(root, p))).filter((f) => f.endsWith('.jpg')).sort();
    paths.push(...files.map((f) => ({ path: join(root, p, f), label: p })));
  }
  return paths;
}

let images = await listImages(values.set);
if (values.limit) images = images.slice(0, Number(values.limit));
const detector = await FaceMeshDetector.create();
const embedder = await FaceEmbedder.create();
const meshOut = await NpyStreamWriter.open(join(out, `${values.set}-mesh.npy`), 956);
const embOut = await NpyStreamWriter.open(join(out, `${values.set}-faceapi.npy`), 128);
const rows = [];
const failures = [];
const t0 = Date.now();
for (const [i, im] of images.entries()) {
  const source = relative(dataRoot, im.path);
  try {
    const frame = await readImageFile(im.path);
    const [face] = await detector.detect(frame);
    if (!face) throw new Error('no face detected');
    const xy = new Float32Array(956);
    for (let k = 0; k < 478; k++) {
      xy[2 * k] = face.mesh[3 * k];
      xy[2 * k + 1] = face.mesh[3 * k + 1];
    }
    const box = alignedFaceBox(face, frame.width, frame.height);
    const emb = await embedder.embedRegion(frame, box);
    await meshOut.append(xy);
    await embOut.append(emb);
    rows.push({ source, label: im.label, width: frame.width, height: frame.height, box });
  } catch (err) {
    failures.push({ source, error: String(err?.message ?? err) });
  }
  if (i % 500 === 0)
    process.stdout.write(
      `${i}/${images.length} ${((Date.now() - t0) / 1000).toFixed(0)}s failed=${failures.length}\n`,
    );
}
await meshOut.close();
await embOut.close();
await writeFile(
  join(out, `${values.set}-rows.json`),
  JSON.stringify({ dataRoot: values.data, rows, failures }),
);
process.stdout.write(
  `done ${rows.length} rows, ${failures.length} failed, ${((Date.now() - t0) / 1000).toFixed(0)}s\n`,
);
process.exit(0);
