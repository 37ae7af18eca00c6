import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODELS_DIR, DESCRIPTOR_LENGTH, SemfaceCodec } from '@semface/codec-core';
import {
  ARKIT_BLENDSHAPES,
  FaceRig,
  type RigFrame,
  VRM_EXPRESSIONS,
  defaultFaceRigModel,
  headPose,
  mirrorArkitName,
  mirrorHeadPose,
  mirrorRigShape,
  resolveMotionLayer,
} from '@semface/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Real talking-head footage (never a fixture): read from ../shared/data, skipped when it is absent.
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataRoot = process.env.SEMFACE_DATA_ROOT ?? join(root, '../shared/data');
const CLIP = join(dataRoot, 'videos/liveportrait-d19.mp4');
const hasClip = existsSync(CLIP);
const hasCodec = existsSync(join(DEFAULT_MODELS_DIR, 'manifest.json'));
if (!hasClip) process.stdout.write(`skipped: no real clip at ${CLIP}\n`);

function readNpy(path: string): Float32Array[] {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const rows = Number(/'shape': \((\d+), /.exec(buf.subarray(10, 10 + headerLen).toString('latin1'))![1]);
  const start = buf.byteOffset + 10 + headerLen;
  const data = new Float32Array(buf.buffer.slice(start, start + rows * DESCRIPTOR_LENGTH * 4));
  return Array.from({ length: rows }, (_, i) =>
    data.subarray(i * DESCRIPTOR_LENGTH, (i + 1) * DESCRIPTOR_LENGTH),
  );
}

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Largest |w - mirrored w| over the frames of a clip (`a`) and its mirrored copy (`b`), one rig each. */
function mirrorSwapMax(a: Float32Array[], b: Float32Array[]): number {
  const rigA = new FaceRig();
  const rigB = new FaceRig();
  let worst = 0;
  a.forEach((d, i) => {
    const fa = rigA.solve(d);
    const fb = rigB.solve(b[i]!);
    for (const n of ARKIT_BLENDSHAPES)
      worst = Math.max(worst, Math.abs(fa.arkit[n] - fb.arkit[mirrorArkitName(n)]));
  });
  return worst;
}

describe.skipIf(!hasClip)('avatar rig on a real talking-head clip', () => {
  let dir: string;
  let descriptors: Float32Array[];
  let frames: RigFrame[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'semface-rig-'));
    const out = join(dir, 'clip.npy');
    execFileSync('node', [join(root, 'packages/cli/dist/bin.js'), 'extract', CLIP, '-o', out, '-q'], {
      stdio: 'ignore',
    });
    descriptors = readNpy(out);
    const rig = new FaceRig();
    frames = descriptors.map((d) => rig.solve(d));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('jawOpen follows the rebuilt lip gap and eyeBlink each eye aspect ratio', () => {
    expect(frames.length).toBeGreaterThan(100);
    const r = (a: (f: RigFrame) => number, b: (f: RigFrame) => number) =>
      pearson(frames.map(a), frames.map(b));
    expect(
      r(
        (f) => f.arkit.jawOpen,
        (f) => f.measures.lipGap,
      ),
    ).toBeGreaterThanOrEqual(0.9);
    expect(
      -r(
        (f) => f.arkit.eyeBlinkLeft,
        (f) => f.measures.eyeOpenLeft,
      ),
    ).toBeGreaterThanOrEqual(0.85);
    expect(
      -r(
        (f) => f.arkit.eyeBlinkRight,
        (f) => f.measures.eyeOpenRight,
      ),
    ).toBeGreaterThanOrEqual(0.85);
  });

  it('keeps every ARKit and VRM weight in [0, 1]', () => {
    for (const f of frames) {
      for (const n of ARKIT_BLENDSHAPES) expect(f.arkit[n]).toSatisfy((w: number) => w >= 0 && w <= 1);
      for (const n of VRM_EXPRESSIONS)
        expect(f.vrm.expressions[n]).toSatisfy((w: number) => w >= 0 && w <= 1);
    }
  });

  it('swaps Left and Right on the mirrored clip (mirrored mesh and pose)', () => {
    const model = defaultFaceRigModel();
    const rig = new FaceRig();
    let worst = 0;
    descriptors.forEach((d, i) => {
      const m = rig.solveShape(mirrorRigShape(model, model.shape(d)), mirrorHeadPose(headPose(d)));
      for (const n of ARKIT_BLENDSHAPES)
        worst = Math.max(worst, Math.abs(frames[i]!.arkit[n] - m.arkit[mirrorArkitName(n)]));
    });
    expect(worst).toBeLessThanOrEqual(0.05);
  });

  it('swaps Left and Right on the clip flipped pixel for pixel, with symmetric extraction', () => {
    // The clip's decoded frames mirrored losslessly, then both extracted with two pipelines each
    // (`--symmetric`); 90 frames keep the test short (two trackers, two clips).
    const flipped = join(dir, 'flipped.mkv');
    execFileSync('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      CLIP,
      '-frames:v',
      '90',
      '-vf',
      'format=rgba,hflip',
      '-fps_mode',
      'passthrough',
      '-c:v',
      'ffv1',
      '-pix_fmt',
      'bgra',
      flipped,
    ]);
    const extract = (input: string, out: string) => {
      execFileSync(
        'node',
        [
          join(root, 'packages/cli/dist/bin.js'),
          'extract',
          input,
          '-o',
          out,
          '-q',
          '--symmetric',
          '--max-frames',
          '90',
        ],
        { stdio: 'ignore' },
      );
      return readNpy(out);
    };
    const a = extract(CLIP, join(dir, 'sym.npy'));
    const b = extract(flipped, join(dir, 'flipped-sym.npy'));
    expect(a.length).toBe(90);
    expect(b.length).toBe(90);
    const worst = mirrorSwapMax(a, b);
    expect(worst).toBeLessThanOrEqual(0.05);
    // One pipeline alone is not mirror-equivariant: the same comparison on single-pass descriptors.
    const single = readNpy(join(dir, 'clip.npy')).slice(0, 90);
    execFileSync(
      'node',
      [join(root, 'packages/cli/dist/bin.js'), 'extract', flipped, '-o', join(dir, 'flipped.npy'), '-q'],
      {
        stdio: 'ignore',
      },
    );
    expect(mirrorSwapMax(single, readNpy(join(dir, 'flipped.npy')))).toBeGreaterThan(worst);
  });

  it('gives still weights for a still face', () => {
    const rig = new FaceRig();
    const d = descriptors[Math.floor(descriptors.length / 2)]!;
    const still = Array.from({ length: 100 }, () => rig.solve(d));
    for (const n of ARKIT_BLENDSHAPES) {
      const xs = still.map((f) => f.arkit[n]);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length), n).toBeLessThanOrEqual(0.01);
    }
  });

  it.skipIf(!hasCodec)(
    'blendshapes through the 2 kbit/s stream stay within 0.05 MAE of the uncoded ones',
    async () => {
      const codec = await SemfaceCodec.load();
      const enc = codec.createStreamEncoder({
        coding: 'temporal',
        motionLayer: resolveMotionLayer('auto', 2),
        targetBitrate: 2000,
        keyFrameIntervalSeconds: 2,
        frameRate: 25,
      });
      const dec = codec.createStreamDecoder('temporal');
      const rig = new FaceRig();
      let sum = 0;
      let bytes = 0;
      for (let i = 0; i < descriptors.length; i++) {
        const p = await enc.encodeFrame(descriptors[i]!);
        bytes += p.packet.length;
        const f = rig.solve((await dec.decodeFrame(p.packet)).descriptor);
        for (const n of ARKIT_BLENDSHAPES) sum += Math.abs(f.arkit[n] - frames[i]!.arkit[n]);
      }
      expect(sum / (descriptors.length * ARKIT_BLENDSHAPES.length)).toBeLessThanOrEqual(0.05);
      // A Live Link Face packet is 264-774 bytes per frame.
      expect(bytes / descriptors.length).toBeLessThan(264 / 10);
    },
  );
});
