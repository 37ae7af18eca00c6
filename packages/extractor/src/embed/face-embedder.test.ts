import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceCropEmptyError, ModelLoadError } from '../errors.js';
import { decodeImage } from '../input/image.js';
import { FaceMeshDetector } from '../mesh/face-mesh-detector.js';
import type { DetectedFace, FaceBox, RgbaFrame } from '../types.js';
import { descriptorDistance, SAME_PERSON_DISTANCE } from './descriptor-distance.js';
import { alignedFaceBox } from './face-alignment.js';
import { FaceEmbedder } from './face-embedder.js';
import { resolveFaceEmbedderOptions } from './face-embedder-options.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const require = createRequire(import.meta.url);
const FACE_API = dirname(require.resolve('@vladmandic/face-api/package.json'));

interface FaceApiFace {
  tag: string;
  file: string;
  alignedBox: FaceBox;
  landmarks68: [number, number][];
  descriptor: number[];
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'faceapi-demo.json'), 'utf8')) as {
  faces: FaceApiFace[];
};

const photos = new Map<string, RgbaFrame>();
async function photo(file: string): Promise<RgbaFrame> {
  let f = photos.get(file);
  if (!f) {
    f = await decodeImage(readFileSync(join(FACE_API, file)), file);
    photos.set(file, f);
  }
  return f;
}

async function rescaled(frame: RgbaFrame, factor: number): Promise<RgbaFrame> {
  const width = Math.round(frame.width * factor);
  const height = Math.round(frame.height * factor);
  const data = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 4 } })
    .resize(width, height, { kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

let embedder: FaceEmbedder;
beforeAll(async () => {
  embedder = await FaceEmbedder.create({ maxBatch: 4 });
});
afterAll(async () => {
  await embedder?.dispose();
});

describe('FaceEmbedder network', () => {
  it('reproduces the descriptor of the converter fixture (synthetic 150x150 crop)', async () => {
    const rgb = readFileSync(join(FIXTURES, 'synthetic-crop.rgb'));
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'synthetic-crop.expected.json'), 'utf8')) as {
      descriptor: number[];
    };
    const data = new Uint8Array(150 * 150 * 4);
    for (let i = 0; i < 150 * 150; i++) data.set([rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!, 255], i * 4);
    const d = await embedder.embedCrop({ width: 150, height: 150, data });
    expect(d).toHaveLength(128);
    let maxDiff = 0;
    for (let i = 0; i < 128; i++) maxDiff = Math.max(maxDiff, Math.abs(d[i]! - expected.descriptor[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("matches face-api's own descriptors on its demo photos given face-api's aligned boxes", async () => {
    expect(reference.faces.length).toBeGreaterThanOrEqual(10);
    const regions = await Promise.all(
      reference.faces.map(async (f) => ({ frame: await photo(f.file), box: f.alignedBox })),
    );
    const got = await embedder.embedRegions(regions); // several batches of maxBatch = 4
    let worst = 0;
    reference.faces.forEach((f, i) => {
      worst = Math.max(worst, descriptorDistance(got[i]!, f.descriptor));
    });
    // tfjs and onnxruntime differ only in float rounding (measured ~1e-5)
    expect(worst).toBeLessThan(1e-3);
  });

  it('separates people: a face vs its rescaled photo is closer than to anyone else', async () => {
    const faces = reference.faces.filter(
      (f) => f.file === 'demo/sample1.jpg' || f.file === 'demo/sample6.jpg',
    );
    const frames = await Promise.all(faces.map((f) => photo(f.file)));
    const base = await embedder.embedRegions(faces.map((f, i) => ({ frame: frames[i]!, box: f.alignedBox })));
    const factor = 0.8;
    const small = await Promise.all(
      [...new Set(frames)].map(async (fr) => [fr, await rescaled(fr, factor)] as const),
    );
    const smallOf = new Map(small);
    const moved = await embedder.embedRegions(
      faces.map((f, i) => ({
        frame: smallOf.get(frames[i]!)!,
        box: {
          x: f.alignedBox.x * factor,
          y: f.alignedBox.y * factor,
          width: f.alignedBox.width * factor,
          height: f.alignedBox.height * factor,
        },
      })),
    );
    for (let i = 0; i < faces.length; i++) {
      const self = descriptorDistance(base[i]!, moved[i]!);
      expect(self).toBeLessThan(SAME_PERSON_DISTANCE);
      for (let j = 0; j < faces.length; j++) {
        if (j !== i) expect(descriptorDistance(base[j]!, moved[i]!)).toBeGreaterThan(self);
      }
    }
  });

  it('rejects a box outside the frame and a missing model', async () => {
    const frame = await photo('demo/sample1.jpg');
    await expect(
      embedder.embedRegion(frame, { x: frame.width + 5, y: 0, width: 50, height: 50 }),
    ).rejects.toThrow(FaceCropEmptyError);
    await expect(FaceEmbedder.create({ modelPath: '/nonexistent/face-recognition.onnx' })).rejects.toThrow(
      ModelLoadError,
    );
  });

  it('validates options', () => {
    expect(() => resolveFaceEmbedderOptions({ maxBatch: 0 })).toThrow(RangeError);
    expect(() => resolveFaceEmbedderOptions({ intraOpNumThreads: 1.5 })).toThrow(RangeError);
    expect(() => resolveFaceEmbedderOptions({ modelPath: 3 as unknown as string })).toThrow(TypeError);
    expect(Object.isFrozen(resolveFaceEmbedderOptions({}))).toBe(true);
  });
});

describe('FaceEmbedder on face-mesh detections', () => {
  let detector: FaceMeshDetector;
  const detected = new Map<string, DetectedFace[]>();
  beforeAll(async () => {
    detector = await FaceMeshDetector.create();
    for (const file of ['demo/sample1.jpg', 'demo/sample6.jpg']) {
      detected.set(file, await detector.detect(await photo(file), { allFaces: true }));
    }
  });
  afterAll(async () => {
    await detector?.dispose();
  });

  /** The face-api reference face whose aligned box centre is nearest the mesh face's box centre. */
  function referenceFor(file: string, face: DetectedFace): FaceApiFace {
    const cx = face.box.x + face.box.width / 2;
    const cy = face.box.y + face.box.height / 2;
    const dist = (f: FaceApiFace) =>
      Math.hypot(f.alignedBox.x + f.alignedBox.width / 2 - cx, f.alignedBox.y + f.alignedBox.height / 2 - cy);
    return reference.faces.filter((f) => f.file === file).sort((a, b) => dist(a) - dist(b))[0]!;
  }

  it('aligns from the mesh close to face-api and identifies every face', async () => {
    for (const [file, faces] of detected) {
      const frame = await photo(file);
      expect(faces.length).toBeGreaterThanOrEqual(2);
      const descriptors = await embedder.embedFaces(frame, faces);
      faces.forEach((face, i) => {
        const ref = referenceFor(file, face);
        const box = alignedFaceBox(face, frame.width, frame.height);
        // the mesh-derived box lands within 10% of face-api's 68-landmark box
        expect(Math.abs(box.width - ref.alignedBox.width) / ref.alignedBox.width).toBeLessThan(0.1);
        expect(Math.abs(box.x - ref.alignedBox.x) / ref.alignedBox.width).toBeLessThan(0.1);
        expect(Math.abs(box.y - ref.alignedBox.y) / ref.alignedBox.width).toBeLessThan(0.1);
        const own = descriptorDistance(descriptors[i]!, ref.descriptor);
        expect(own).toBeLessThan(SAME_PERSON_DISTANCE);
        // nearest face-api descriptor over all demo faces is the same person
        const nearest = reference.faces
          .map((f) => ({ f, d: descriptorDistance(descriptors[i]!, f.descriptor) }))
          .sort((a, b) => a.d - b.d)[0]!;
        expect(nearest.f.tag).toBe(ref.tag);
      });
    }
  });

  it('embed() on a rescaled photo stays closer to the same face than to other people', async () => {
    const file = 'demo/sample1.jpg';
    const frame = await photo(file);
    const faces = detected.get(file)!;
    const base = await embedder.embedFaces(frame, faces);
    const small = await rescaled(frame, 0.75);
    const smallFaces = await detector.detect(small, { allFaces: true });
    expect(smallFaces.length).toBe(faces.length);
    for (const sf of smallFaces) {
      const d = await embedder.embed(small, sf);
      const dists = faces.map((f, i) => ({
        i,
        d: descriptorDistance(base[i]!, d),
        centre: Math.hypot(
          f.box.x * 0.75 + (f.box.width * 0.75) / 2 - (sf.box.x + sf.box.width / 2),
          f.box.y * 0.75 + (f.box.height * 0.75) / 2 - (sf.box.y + sf.box.height / 2),
        ),
      }));
      const samePos = [...dists].sort((a, b) => a.centre - b.centre)[0]!;
      const nearest = [...dists].sort((a, b) => a.d - b.d)[0]!;
      expect(nearest.i).toBe(samePos.i);
      expect(nearest.d).toBeLessThan(SAME_PERSON_DISTANCE);
    }
  });
});
