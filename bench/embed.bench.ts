import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, bench, describe } from 'vitest';
// The extractor's public entry (built dist); the bench folder is not a workspace package.
import {
  type DetectedFace,
  FaceEmbedder,
  FaceMeshDetector,
  type RgbaFrame,
} from '../packages/extractor/dist/index.js';

// sharp and the demo photos are dependencies of @semface/extractor: resolve them from there.
const extractorRequire = createRequire(new URL('../packages/extractor/package.json', import.meta.url));
const sharp = extractorRequire('sharp') as typeof import('sharp');
const demoDir = join(dirname(extractorRequire.resolve('@vladmandic/face-api/package.json')), 'demo');

async function load(file: string): Promise<RgbaFrame> {
  const { data, info } = await sharp(join(demoDir, file))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

let photo: RgbaFrame;
let faces: DetectedFace[];
let crop: RgbaFrame;
let one: FaceEmbedder;
let two: FaceEmbedder;

beforeAll(async () => {
  photo = await load('sample1.jpg');
  const detector = await FaceMeshDetector.create({ intraOpNumThreads: 1 });
  faces = await detector.detect(photo, { allFaces: true });
  await detector.dispose();
  if (faces.length !== 3) throw new Error(`bench photo should hold 3 faces, found ${faces.length}`);
  const { data } = await sharp(join(demoDir, 'sample1.jpg'))
    .extract({ left: 369, top: 395, width: 212, height: 212 })
    .resize(150, 150)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  crop = { width: 150, height: 150, data: new Uint8Array(data) };
  one = await FaceEmbedder.create({ intraOpNumThreads: 1 });
  two = await FaceEmbedder.create({ intraOpNumThreads: 2 });
  for (let i = 0; i < 3; i++) {
    await one.embedCrop(crop);
    await two.embedCrop(crop);
  }
});

describe('embed: face-api 128-D descriptor per face (sample1.jpg, 3 faces)', () => {
  bench('embedCrop, one 150x150 crop, 1 thread', async () => {
    await one.embedCrop(crop);
  });
  bench('embedCrop, one 150x150 crop, 2 threads', async () => {
    await two.embedCrop(crop);
  });
  bench('embed(frame, face): mesh alignment + crop + network, 1 thread', async () => {
    await one.embed(photo, faces[0]!);
  });
  bench('embedFaces: all faces of the photo in one batch, 1 thread (divide by face count)', async () => {
    await one.embedFaces(photo, faces);
  });
});
