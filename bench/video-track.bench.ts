import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, bench, describe } from 'vitest';
// The extractor's public entry (built dist); the bench folder is not a workspace package.
import {
  type DetectedFace,
  FaceFitter,
  FaceMeshDetector,
  MeshStabilizer,
  type RgbaFrame,
} from '../packages/extractor/dist/index.js';

// Goal (issue 15): the video path, track + fit with the temporal stabiliser, <= 16 ms per frame on
// one thread, warm.
const extractorRequire = createRequire(new URL('../packages/extractor/package.json', import.meta.url));
const sharp = extractorRequire('sharp') as typeof import('sharp');
const demoDir = join(dirname(extractorRequire.resolve('@vladmandic/face-api/package.json')), 'demo');

/** sample2's rightmost face in a 512x512 frame, at a few +/-2 px shifts (a shaky still face). */
const frames: RgbaFrame[] = [];
let stabilized: FaceMeshDetector;
let plain: FaceMeshDetector;
let fitter: FaceFitter;
let face: DetectedFace;
const stabilizer = new MeshStabilizer();
let n = 0;

beforeAll(async () => {
  for (const [dx, dy] of [
    [0, 0],
    [2, -1],
    [-2, 1],
    [1, 2],
  ] as const) {
    const { data, info } = await sharp(join(demoDir, 'sample2.jpg'))
      .extract({ left: 1300 + dx, top: 50 + dy, width: 500, height: 500 })
      .resize(512, 512)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    frames.push({ width: info.width, height: info.height, data: new Uint8Array(data) });
  }
  stabilized = await FaceMeshDetector.create({ intraOpNumThreads: 1 });
  plain = await FaceMeshDetector.create({ intraOpNumThreads: 1, stabilize: false });
  fitter = await FaceFitter.load();
  const [found] = await plain.detect(frames[0]!);
  if (!found) throw new Error('bench frame should hold a face');
  face = found;
  // Warm up the sessions and start both tracks.
  for (let i = 0; i < 8; i++) {
    await stabilized.track(frames[i % frames.length]!);
    await plain.track(frames[i % frames.length]!);
  }
});

describe('video path per frame, 512x512, one face, 1 thread (warm)', () => {
  bench('track (stabilised, default) + fit', async () => {
    const frame = frames[n++ % frames.length]!;
    const [f] = await stabilized.track(frame);
    if (f) fitter.fit(f, frame);
  });
  bench('track (stabilize: false) + fit', async () => {
    const frame = frames[n++ % frames.length]!;
    const [f] = await plain.track(frame);
    if (f) fitter.fit(f, frame);
  });
  bench('track (stabilised) only', async () => {
    await stabilized.track(frames[n++ % frames.length]!);
  });
  bench('fit only', () => {
    fitter.fit(face, frames[0]!);
  });
  bench('MeshStabilizer.filter only (478 points)', () => {
    stabilizer.filter(face.mesh, n++ / 30);
  });
});
