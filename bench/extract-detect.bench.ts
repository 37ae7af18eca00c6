import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, bench, describe } from 'vitest';
// The extractor's public entry (built dist); the bench folder is not a workspace package.
import { type FaceDetection, FaceMeshDetector, type RgbaFrame } from '../packages/extractor/dist/index.js';

// sharp and the sample photos are dependencies of @semface/extractor: resolve them from there.
const extractorRequire = createRequire(new URL('../packages/extractor/package.json', import.meta.url));
const sharp = extractorRequire('sharp') as typeof import('sharp');
const demoDir = join(dirname(extractorRequire.resolve('@vladmandic/face-api/package.json')), 'demo');

let frame: RgbaFrame;
let detection: FaceDetection;
let full: FaceMeshDetector;
let noIris: FaceMeshDetector;
let singlePass: FaceMeshDetector;

beforeAll(async () => {
  // One face filling a good part of a 512x512 frame: crop sample2's rightmost face with margin.
  const { data, info } = await sharp(join(demoDir, 'sample2.jpg'))
    .extract({ left: 1300, top: 50, width: 500, height: 500 })
    .resize(512, 512)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  frame = { width: info.width, height: info.height, data: new Uint8Array(data) };
  full = await FaceMeshDetector.create({ intraOpNumThreads: 1 });
  noIris = await FaceMeshDetector.create({ intraOpNumThreads: 1, iris: false });
  singlePass = await FaceMeshDetector.create({ intraOpNumThreads: 1, iris: false, refinePasses: 0 });
  const found = await full.detectFaces(frame);
  if (found.length !== 1) throw new Error(`bench frame should hold one face, found ${found.length}`);
  detection = found[0]!;
  // Warm up every session.
  for (let i = 0; i < 5; i++) {
    await full.detect(frame);
    await noIris.detect(frame);
    await singlePass.detect(frame);
  }
});

describe('extract: detect + mesh, 512x512, one face, 1 thread', () => {
  bench('detector only (BlazeFace)', async () => {
    await full.detectFaces(frame);
  });
  bench('mesh only, 1 pass, no iris', async () => {
    await singlePass.meshDetections(frame, [detection]);
  });
  bench('mesh only, default (2 passes + iris)', async () => {
    await full.meshDetections(frame, [detection]);
  });
  bench('total, default (detector + 2 mesh passes + iris)', async () => {
    await full.detect(frame);
  });
  bench('track (video mode: 1 mesh pass from the previous mesh + iris)', async () => {
    await full.track(frame);
  });
  bench('total, no iris', async () => {
    await noIris.detect(frame);
  });
  bench('total, 1 pass, no iris', async () => {
    await singlePass.detect(frame);
  });
});
