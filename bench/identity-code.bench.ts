import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, bench, describe } from 'vitest';
// Built dist entries (the bench folder is not a workspace package).
import {
  type IdentityCodeModel,
  decodeIdentityCode,
  encodeIdentityCode,
  identityCodeSimilarity,
  identityCodeVector,
  loadIdentityCodeModel,
} from '../packages/codec-core/dist/index.js';
import {
  type DetectedFace,
  FaceEmbedder,
  FaceMeshDetector,
  type RgbaFrame,
} from '../packages/extractor/dist/index.js';

// Issue 13: the identity code runs once per identity refresh: recogniser (face-api net on the mesh-aligned
// crop, one thread, warm) + integer transform/quantisation + packing; receiver: unpack + compare.
const extractorRequire = createRequire(new URL('../packages/extractor/package.json', import.meta.url));
const sharp = extractorRequire('sharp') as typeof import('sharp');
const demoDir = join(dirname(extractorRequire.resolve('@vladmandic/face-api/package.json')), 'demo');

let photo: RgbaFrame;
let face: DetectedFace;
let embedder: FaceEmbedder;
let model: IdentityCodeModel;
let embedding: Float32Array;
let packet: Uint8Array;

beforeAll(async () => {
  const { data, info } = await sharp(join(demoDir, 'sample1.jpg'))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  photo = { width: info.width, height: info.height, data: new Uint8Array(data) };
  const detector = await FaceMeshDetector.create({ intraOpNumThreads: 1 });
  [face] = (await detector.detect(photo)) as [DetectedFace];
  await detector.dispose();
  embedder = await FaceEmbedder.create({ intraOpNumThreads: 1 });
  model = await loadIdentityCodeModel();
  for (let i = 0; i < 5; i++) embedding = await embedder.embed(photo, face);
  packet = encodeIdentityCode(model, embedding, 3);
});

describe('identity code (issue 13): per identity refresh, one face, 1 thread, warm', () => {
  bench('sender: recogniser embedding (mesh-aligned crop + face-api net) + encode 256 bits', async () => {
    encodeIdentityCode(model, await embedder.embed(photo, face), 3);
  });
  bench('sender: encode only (integer transform + quantise + pack), 256 bits', () => {
    encodeIdentityCode(model, embedding, 3);
  });
  bench('receiver: decode + vector + cosine vs itself, 256 bits', () => {
    const v = identityCodeVector(model, decodeIdentityCode(packet, model));
    identityCodeSimilarity(v, v);
  });
});
