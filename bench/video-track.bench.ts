import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, bench, describe } from 'vitest';
// The extractor's public entry (built dist); the bench folder is not a workspace package.
import {
  type DetectedFace,
  FaceDescriptorExtractor,
  MeshStabilizer,
  type RgbaFrame,
} from '../packages/extractor/dist/index.js';

// Goal (issue 15): the video path, track + fit + expression refinement with the temporal stabiliser,
// <= 16 ms per frame on one thread, warm. The refine: false cases measure the path without it; the
// symmetric case is the opt-in mirror-symmetric extraction (issue 16), two pipelines per frame.
const extractorRequire = createRequire(new URL('../packages/extractor/package.json', import.meta.url));
const sharp = extractorRequire('sharp') as typeof import('sharp');
const demoDir = join(dirname(extractorRequire.resolve('@vladmandic/face-api/package.json')), 'demo');

/** sample2's rightmost face in a 512x512 frame, at a few +/-2 px shifts (a shaky still face). */
const frames: RgbaFrame[] = [];
let refined: FaceDescriptorExtractor;
let stabilized: FaceDescriptorExtractor;
let plain: FaceDescriptorExtractor;
let symmetric: FaceDescriptorExtractor;
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
  refined = await FaceDescriptorExtractor.create({ intraOpNumThreads: 1 });
  const { fitter } = refined;
  stabilized = await FaceDescriptorExtractor.create({ intraOpNumThreads: 1, fitter, refine: false });
  plain = await FaceDescriptorExtractor.create({
    intraOpNumThreads: 1,
    fitter,
    refine: false,
    detector: { stabilize: false },
  });
  symmetric = await FaceDescriptorExtractor.create({ intraOpNumThreads: 1, fitter, symmetric: true });
  const [found] = await plain.extract(frames[0]!);
  if (!found) throw new Error('bench frame should hold a face');
  face = found.face;
  // Warm up the sessions and start the tracks.
  for (let i = 0; i < 8; i++) {
    for (const e of [refined, stabilized, plain, symmetric]) {
      await e.extract(frames[i % frames.length]!, { videoFrame: i === 0 ? 'first' : 'next' });
    }
  }
});

describe('video path per frame, 512x512, one face, 1 thread (warm)', () => {
  bench('track (stabilised, default) + fit + refinement', async () => {
    await refined.extract(frames[n++ % frames.length]!, { videoFrame: 'next' });
  });
  bench('symmetric: both + the mirror image (two trackers), motion averaged', async () => {
    await symmetric.extract(frames[n++ % frames.length]!, { videoFrame: 'next' });
  });
  bench('track (stabilised) + fit, refine: false', async () => {
    await stabilized.extract(frames[n++ % frames.length]!, { videoFrame: 'next' });
  });
  bench('track (stabilize: false) + fit, refine: false', async () => {
    await plain.extract(frames[n++ % frames.length]!, { videoFrame: 'next' });
  });
  bench('track (stabilised) only', async () => {
    await stabilized.detector.track(frames[n++ % frames.length]!);
  });
  bench('fit only', () => {
    refined.fitter.fit(face, frames[0]!);
  });
  // Minus 'fit only': the refinement (emotion crop + network, refiner, fit error of the result).
  bench('fit + refinement of a meshed face (fitFaces, one emotion crop as in tracking)', async () => {
    await refined.fitFaces(frames[0]!, [face], { emotionViews: 'single' });
  });
  // Stills (photos, dataset images): the emotion network on 3 crop scales and their mirrors.
  bench('fit + refinement of a meshed face, still-image emotion views', async () => {
    await refined.fitFaces(frames[0]!, [face], { emotionViews: 'still' });
  });
  bench('MeshStabilizer.filter only (478 points)', () => {
    stabilizer.filter(face.mesh, n++ / 30);
  });
});
