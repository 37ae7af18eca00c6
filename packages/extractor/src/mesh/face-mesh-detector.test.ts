import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidFrameError, ModelLoadError } from '../errors.js';
import type { DetectedFace, FaceBox, RgbaFrame } from '../types.js';
import { FaceMeshDetector } from './face-mesh-detector.js';

const require = createRequire(import.meta.url);
const demoDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const samplePath = (i: number) => join(demoDir, `sample${i}.jpg`);

async function toFrame(image: sharp.Sharp): Promise<RgbaFrame> {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

const pt = (f: DetectedFace, i: number) => [f.mesh[i * 3]!, f.mesh[i * 3 + 1]!, f.mesh[i * 3 + 2]!] as const;

/** Mesh points on the face's symmetry line, and left/right partners (subject's right, left). */
const MIDLINE = [1, 4, 6, 10, 13, 14, 152, 168, 199];
const PAIRS: Array<[number, number]> = [
  [33, 263],
  [133, 362],
  [61, 291],
  [234, 454],
  [468, 473],
];

let detector: FaceMeshDetector;
beforeAll(async () => {
  detector = await FaceMeshDetector.create();
});

describe('FaceMeshDetector on the face-api demo photos', () => {
  for (let i = 1; i <= 6; i++) {
    it(`sample${i}: finds faces with sane boxes and 478-point meshes`, async () => {
      const frame = await toFrame(sharp(samplePath(i)));
      const faces = await detector.detect(frame, { allFaces: true });
      expect(faces.length).toBeGreaterThanOrEqual(2);
      for (const face of faces) {
        const { box } = face;
        expect(face.pointCount).toBe(478);
        expect(face.mesh.length).toBe(478 * 3);
        expect(face.score).toBeGreaterThanOrEqual(0.5);
        expect(face.meshScore).toBeGreaterThanOrEqual(0.5);
        expect(box.width).toBeGreaterThan(frame.width * 0.03);
        expect(box.width).toBeLessThan(frame.width * 0.5);
        expect(box.height / box.width).toBeGreaterThan(0.7);
        expect(box.height / box.width).toBeLessThan(1.6);
        const margin = 0.05 * box.width;
        for (let p = 0; p < face.pointCount; p++) {
          const [x, y, z] = pt(face, p);
          expect(Number.isFinite(z)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(box.x - margin);
          expect(x).toBeLessThanOrEqual(box.x + box.width + margin);
          expect(y).toBeGreaterThanOrEqual(box.y - margin);
          expect(y).toBeLessThanOrEqual(box.y + box.height + margin);
        }
        // Eyes above the mouth, nose tip in front of the cheeks (smaller z = nearer).
        const mouthY = pt(face, 13)[1];
        expect(pt(face, 159)[1]).toBeLessThan(mouthY);
        expect(pt(face, 386)[1]).toBeLessThan(mouthY);
        expect(pt(face, 1)[2]).toBeLessThan(pt(face, 234)[2]);
        expect(pt(face, 1)[2]).toBeLessThan(pt(face, 454)[2]);
        // Subject's right eye appears left of the left eye for these upright, non-mirrored photos.
        expect(pt(face, 468)[0]).toBeLessThan(pt(face, 473)[0]);
      }
    });
  }

  it('returns only the largest face by default', async () => {
    const frame = await toFrame(sharp(samplePath(4)));
    const all = await detector.detect(frame, { allFaces: true });
    const one = await detector.detect(frame);
    expect(one).toHaveLength(1);
    expect(one[0]!.box.x).toBeCloseTo(all[0]!.box.x, 3);
    expect(one[0]!.box.y).toBeCloseTo(all[0]!.box.y, 3);
  });

  it('a mirrored photo gives a mirrored mesh', async () => {
    const frame = await toFrame(sharp(samplePath(3)));
    const mirrored = await toFrame(sharp(samplePath(3)).flop());
    const [a] = await detector.detect(frame);
    const [b] = await detector.detect(mirrored);
    expect(a && b).toBeTruthy();
    const tol = 0.04 * a!.box.width;
    const W = frame.width;
    expect(W - (b!.box.x + b!.box.width)).toBeCloseTo(a!.box.x, -Math.log10(tol));
    for (const i of MIDLINE) {
      expect(Math.abs(W - pt(b!, i)[0] - pt(a!, i)[0])).toBeLessThan(tol);
      expect(Math.abs(pt(b!, i)[1] - pt(a!, i)[1])).toBeLessThan(tol);
    }
    for (const [r, l] of PAIRS) {
      expect(Math.abs(W - pt(b!, l)[0] - pt(a!, r)[0])).toBeLessThan(tol);
      expect(Math.abs(pt(b!, l)[1] - pt(a!, r)[1])).toBeLessThan(tol);
    }
  });

  it('meshFromBox works on a small upscaled grey crop (FER2013-like)', async () => {
    const frame = await toFrame(sharp(samplePath(2)));
    const [full] = await detector.detect(frame);
    const centre = (b: FaceBox) => [b.x + b.width / 2, b.y + b.height / 2] as const;
    const [fx, fy] = centre(full!.box);
    const dist = (b: FaceBox) => Math.hypot(centre(b)[0] - fx, centre(b)[1] - fy);
    const d = (await detector.detectFaces(frame)).sort((a, b) => dist(a.box) - dist(b.box))[0]!;
    const crop = {
      left: Math.round(d.box.x),
      top: Math.round(d.box.y),
      width: Math.round(d.box.width),
      height: Math.round(d.box.height),
    };
    const small = await sharp(samplePath(2)).extract(crop).greyscale().resize(48, 48).png().toBuffer();
    for (const side of [48, 192]) {
      const input = await toFrame(sharp(small).resize(side, side, { kernel: 'cubic' }).toColourspace('srgb'));
      const face = await detector.meshFromBox(input, { x: 0, y: 0, width: side, height: side });
      expect(face).not.toBeNull();
      expect(face!.pointCount).toBe(478);
      // Compare with the full-resolution mesh mapped into the crop.
      const sx = side / crop.width;
      const sy = side / crop.height;
      let err = 0;
      for (let p = 0; p < 468; p++) {
        const [x, y] = pt(face!, p);
        const [fx, fy] = pt(full!, p);
        err += Math.hypot(x - (fx - crop.left) * sx, y - (fy - crop.top) * sy);
      }
      expect(err / 468 / side).toBeLessThan(0.05);
    }
  });
});

describe('FaceMeshDetector.track', () => {
  it('follows a moving face without the detector and matches detect()', async () => {
    const tracker = await FaceMeshDetector.create();
    const shifts = [0, 6, 12, 18];
    let previous: DetectedFace | undefined;
    for (const dx of shifts) {
      const frame = await toFrame(
        sharp(samplePath(2)).extract({ left: 1300 + dx, top: 50, width: 500, height: 500 }),
      );
      const [tracked] = await tracker.track(frame);
      const [detected] = await detector.detect(frame);
      expect(tracked).toBeDefined();
      const tol = 0.05 * detected!.box.width;
      for (const i of MIDLINE) {
        expect(Math.abs(pt(tracked!, i)[0] - pt(detected!, i)[0])).toBeLessThan(tol);
        expect(Math.abs(pt(tracked!, i)[1] - pt(detected!, i)[1])).toBeLessThan(tol);
      }
      // The window moves right, so the face moves left in the frame.
      if (previous) expect(pt(tracked!, 1)[0]).toBeLessThan(pt(previous, 1)[0]);
      previous = tracked;
    }
    const blank = { width: 500, height: 500, data: new Uint8Array(500 * 500 * 4) };
    expect(await tracker.track(blank)).toEqual([]);
    await tracker.dispose();
  });
});

describe('FaceMeshDetector.track stabilisation', () => {
  /** Frame-to-frame RMS change of the points relative to their centroid (shifts do not count). */
  function shapeJitter(meshes: Float32Array[]): number {
    const rel = meshes.map((m) => {
      const c = new Float64Array(3);
      for (let i = 0; i < 468 * 3; i++) c[i % 3] = c[i % 3]! + m[i]! / 468;
      return m.map((x, i) => x - c[i % 3]!);
    });
    let sum = 0;
    for (let t = 1; t < rel.length; t++) {
      for (let i = 0; i < rel[t]!.length; i++) sum += (rel[t]![i]! - rel[t - 1]![i]!) ** 2;
    }
    return Math.sqrt(sum / (rel.length - 1) / rel[0]!.length);
  }

  it('is on by default, keeps the raw mesh, and steadies a still face under noise and shifts', async () => {
    const stable = await FaceMeshDetector.create();
    const plain = await FaceMeshDetector.create({ stabilize: false });
    expect(stable.options.stabilize).toBe(true);
    const { data, info } = await sharp(samplePath(2))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let seed = 99;
    const rnd = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const filtered: Float32Array[] = [];
    const raw: Float32Array[] = [];
    for (let t = 0; t < 20; t++) {
      const [dx, dy] = [Math.floor(rnd() * 5) - 2, Math.floor(rnd() * 5) - 2];
      const out = new Uint8Array(500 * 500 * 4);
      for (let y = 0; y < 500; y++) {
        for (let x = 0; x < 2000; x++) {
          const v =
            data[((50 + dy + y) * info.width + 1300 + dx) * 4 + x]! + (x % 4 === 3 ? 0 : (rnd() - 0.5) * 16);
          out[y * 2000 + x] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
      const frame = { width: 500, height: 500, data: out };
      const [a] = await stable.track(frame, { timestampMs: t * 40 });
      const [b] = await plain.track(frame);
      expect(a?.rawMesh).toBeDefined();
      expect(b?.rawMesh).toBeUndefined();
      // The crop follows the raw mesh either way, so the detector's own mesh is the same.
      expect(Array.from(a!.rawMesh!)).toEqual(Array.from(b!.mesh));
      filtered.push(a!.mesh);
      raw.push(b!.mesh);
    }
    expect(shapeJitter(filtered.slice(5))).toBeLessThan(shapeJitter(raw.slice(5)) / 2);
    await expect(
      stable.track(await toFrame(sharp(samplePath(2))), { timestampMs: Number.NaN }),
    ).rejects.toThrow(TypeError);
    expect((await stable.detect(await toFrame(sharp(samplePath(2)))))[0]?.rawMesh).toBeUndefined();
    await stable.dispose();
    await plain.dispose();
  });

  it('validates the stabiliser options once, at create', async () => {
    await expect(FaceMeshDetector.create({ stabilize: 1 as unknown as boolean })).rejects.toThrow(TypeError);
    await expect(FaceMeshDetector.create({ stabilizer: { minCutoff: 0 } })).rejects.toThrow(RangeError);
  });
});

describe('FaceMeshDetector without a face', () => {
  it('a blank frame gives no face', async () => {
    const frame = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 4).fill(128) };
    expect(await detector.detect(frame, { allFaces: true })).toEqual([]);
  });

  it('a noise frame gives no face', async () => {
    const data = new Uint8Array(512 * 512 * 4);
    let s = 12345;
    for (let i = 0; i < data.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      data[i] = s >>> 24;
    }
    expect(await detector.detect({ width: 512, height: 512, data }, { allFaces: true })).toEqual([]);
  });
});

describe('FaceMeshDetector errors and options', () => {
  it('rejects a frame whose data length does not match', async () => {
    const frame = { width: 10, height: 10, data: new Uint8Array(399) };
    await expect(detector.detect(frame)).rejects.toBeInstanceOf(InvalidFrameError);
    await expect(detector.meshFromBox(frame, { x: 0, y: 0, width: 10, height: 10 })).rejects.toMatchObject({
      code: 'SEMFACE_ERR_INVALID_FRAME',
    });
  });

  it('meshFromBox keeps a low-score mesh only when minMeshScore allows it', async () => {
    // A flat grey frame holds no face: the mesh's presence score is low, so the default rejects it,
    // while a caller that knows the box is a face (minMeshScore 0) gets the mesh.
    const frame = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(128) };
    const box: FaceBox = { x: 0, y: 0, width: 64, height: 64 };
    expect(await detector.meshFromBox(frame, box)).toBeNull();
    const face = await detector.meshFromBox(frame, box, { minMeshScore: 0 });
    expect(face).not.toBeNull();
    expect(face!.meshScore).toBeLessThan(detector.options.minMeshScore);
    await expect(detector.meshFromBox(frame, box, { minMeshScore: 2 })).rejects.toBeInstanceOf(RangeError);
    await expect(
      detector.meshFromBox(frame, box, { minMeshScore: '0' as unknown as number }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('rejects an empty box', async () => {
    const frame = { width: 10, height: 10, data: new Uint8Array(400) };
    const box: FaceBox = { x: 0, y: 0, width: 0, height: 10 };
    await expect(detector.meshFromBox(frame, box)).rejects.toBeInstanceOf(InvalidFrameError);
  });

  it('throws ModelLoadError when the models are missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'semface-nomodels-'));
    await expect(FaceMeshDetector.create({ modelDir: dir })).rejects.toMatchObject({
      code: 'SEMFACE_ERR_MODEL_LOAD',
    });
    await expect(FaceMeshDetector.create({ modelDir: dir })).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('validates options', async () => {
    await expect(FaceMeshDetector.create({ minScore: 1.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(FaceMeshDetector.create({ maxFaces: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(FaceMeshDetector.create({ iris: 'yes' as unknown as boolean })).rejects.toBeInstanceOf(
      TypeError,
    );
  });

  it('without iris refinement returns 468 points', async () => {
    const plain = await FaceMeshDetector.create({ iris: false, refinePasses: 0 });
    const [face] = await plain.detect(await toFrame(sharp(samplePath(1))));
    expect(face!.pointCount).toBe(468);
    expect(face!.mesh.length).toBe(468 * 3);
    await plain.dispose();
  });
});
