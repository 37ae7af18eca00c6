import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core';
import { DescriptorMirror, MOTION_FIELDS, vertexMirrorMap } from '@semface/face-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidDescriptorError, ModelLoadError } from '../errors.js';
import { FaceFitter } from '../fit/face-fitter.js';
import { createSyntheticFaceModel } from '../fit/synthetic-face-model.js';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import { readImageFile } from '../input/image.js';
import { meshPartners, mirrorFrame } from './mirror-twin.js';
import { DEFAULT_MODEL_DIR, MODEL_FILES } from '../models/model-files.js';
import { EmotionSmoother } from '../refine/emotion-smoother.js';
import { EMOTION_VALUES } from '../refine/emotion-teacher.js';
import type { FittedFace, RgbaFrame } from '../types.js';
import { FaceDescriptorExtractor } from './face-descriptor-extractor.js';
import {
  FACE_DESCRIPTOR_EXTRACTOR_DEFAULTS,
  resolveFaceDescriptorExtractorOptions,
} from './face-descriptor-extractor-options.js';

// Real photos shipped by an installed package (fixtures, not data-set images).
const photo = (name: string): string =>
  fileURLToPath(new URL(`../../node_modules/@vladmandic/face-api/demo/${name}`, import.meta.url));

const { start, end } = REFINEMENT_SPEC.refiner.output;
const hasRefiner = existsSync(join(DEFAULT_MODEL_DIR, REFINEMENT_SPEC.refiner.model));
if (!hasRefiner) {
  process.stdout.write(
    `skipped (refinement tests): no ${REFINEMENT_SPEC.refiner.model} in ${DEFAULT_MODEL_DIR} (training/refine writes it)\n`,
  );
}

describe('FaceDescriptorExtractor options', () => {
  it('has frozen defaults with refinement on', () => {
    expect(Object.isFrozen(FACE_DESCRIPTOR_EXTRACTOR_DEFAULTS)).toBe(true);
    const o = resolveFaceDescriptorExtractorOptions();
    expect(Object.isFrozen(o)).toBe(true);
    expect(o).toMatchObject({
      refine: true,
      symmetric: false,
      intraOpNumThreads: 1,
      modelDir: DEFAULT_MODEL_DIR,
    });
    expect(o.detector).toEqual({ modelDir: DEFAULT_MODEL_DIR, intraOpNumThreads: 1 });
    expect(resolveFaceDescriptorExtractorOptions({ refine: undefined }).refine).toBe(true);
  });

  it('passes modelDir and threads to the detector over its own options', () => {
    const o = resolveFaceDescriptorExtractorOptions({
      modelDir: '/m',
      symmetric: true,
      intraOpNumThreads: 2,
      detector: { modelDir: '/other', stabilize: false },
    });
    expect(o.symmetric).toBe(true);
    expect(o.detector).toEqual({ modelDir: '/m', intraOpNumThreads: 2, stabilize: false });
  });

  it('throws TypeError for wrong types and RangeError for out-of-range values', () => {
    const bad = (o: object) => () => resolveFaceDescriptorExtractorOptions(o);
    expect(bad(null as unknown as object)).toThrow(TypeError);
    expect(bad({ refine: 'yes' })).toThrow(TypeError);
    expect(bad({ symmetric: 1 })).toThrow(TypeError);
    expect(bad({ modelDir: '' })).toThrow(TypeError);
    expect(bad({ faceModelDir: 3 })).toThrow(TypeError);
    expect(bad({ fitter: {} })).toThrow(TypeError);
    expect(bad({ intraOpNumThreads: '2' })).toThrow(TypeError);
    expect(bad({ detector: null })).toThrow(TypeError);
    expect(bad({ detector: { stabilize: 1 } })).toThrow(TypeError);
    expect(bad({ intraOpNumThreads: 0 })).toThrow(RangeError);
    expect(bad({ intraOpNumThreads: 1.5 })).toThrow(RangeError);
    expect(bad({ detector: { minScore: 2 } })).toThrow(RangeError);
  });

  it('create rejects invalid options before loading anything, and a missing refiner as ModelLoadError', async () => {
    await expect(FaceDescriptorExtractor.create({ refine: 1 as unknown as boolean })).rejects.toThrow(
      TypeError,
    );
    // The detector's models without the refinement's.
    const dir = mkdtempSync(join(tmpdir(), 'semface-extractor-'));
    try {
      for (const f of Object.values(MODEL_FILES)) symlinkSync(join(DEFAULT_MODEL_DIR, f), join(dir, f));
      const fitter = new FaceFitter(createSyntheticFaceModel());
      await expect(FaceDescriptorExtractor.create({ modelDir: dir, fitter })).rejects.toBeInstanceOf(
        ModelLoadError,
      );
      const plain = await FaceDescriptorExtractor.create({ modelDir: dir, fitter, refine: false });
      expect(plain.refines).toBe(false);
      expect(plain.fitter).toBe(fitter);
      expect((await plain.modelFiles()).map((m) => m.role)).toEqual([
        'detector',
        'mesh',
        'iris',
        'face-model',
      ]);
      await plain.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('FaceDescriptorExtractor on a real photo (shipped models)', () => {
  let plain: FaceDescriptorExtractor;
  let refined: FaceDescriptorExtractor | undefined;
  let frame: RgbaFrame;
  let unrefinedFaces: FittedFace[];
  beforeAll(async () => {
    plain = await FaceDescriptorExtractor.create({ refine: false });
    if (hasRefiner) refined = await FaceDescriptorExtractor.create({ fitter: plain.fitter });
    frame = await readImageFile(photo('sample1.jpg'));
    unrefinedFaces = await plain.extract(frame, { allFaces: true });
  });
  afterAll(async () => {
    await plain?.dispose();
    await refined?.dispose();
  });

  it('without refinement: plain fits, and FaceFitter.fitErrorPercent reproduces their error', () => {
    expect(unrefinedFaces.length).toBeGreaterThanOrEqual(2);
    for (const f of unrefinedFaces) {
      expect(f.descriptor).toHaveLength(DESCRIPTOR_LENGTH);
      expect(f.emotionLogProbabilities).toBeUndefined();
      expect(f.unrefinedFitErrorPercent).toBeUndefined();
      expect(f.fitErrorPercent).toBeLessThan(3);
      expect(plain.fitter.fitErrorPercent(f.face, f.descriptor, frame)).toBe(f.fitErrorPercent);
    }
    const { face } = unrefinedFaces[0]!;
    expect(() => plain.fitter.fitErrorPercent(face, new Float32Array(3), frame)).toThrow(
      InvalidDescriptorError,
    );
    expect(() =>
      plain.fitter.fitErrorPercent(face, new Float32Array(DESCRIPTOR_LENGTH).fill(Number.NaN), frame),
    ).toThrow(InvalidDescriptorError);
  });

  it.skipIf(!hasRefiner)(
    'refines descriptor[80:144] of every face, with its own fit error and emotion',
    async () => {
      const faces = await refined!.extract(frame, { allFaces: true });
      expect(faces).toHaveLength(unrefinedFaces.length);
      for (const [i, f] of faces.entries()) {
        const u = unrefinedFaces[i]!;
        expect(f.face.box).toEqual(u.face.box);
        expect(f.descriptor.subarray(0, start)).toEqual(u.descriptor.subarray(0, start));
        expect(f.descriptor.subarray(end)).toEqual(u.descriptor.subarray(end));
        expect(f.descriptor.subarray(start, end)).not.toEqual(u.descriptor.subarray(start, end));
        expect(f.descriptor.every(Number.isFinite)).toBe(true);
        expect(Number.isFinite(f.fitErrorPercent)).toBe(true);
        expect(f.fitErrorPercent).toBe(refined!.fitter.fitErrorPercent(u.face, f.descriptor, frame));
        expect(f.unrefinedFitErrorPercent).toBe(u.fitErrorPercent);
        const e = f.emotionLogProbabilities!;
        expect(e).toHaveLength(EMOTION_VALUES);
        expect(e.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 3);
      }
      // The largest face alone gives the same result as in the batch.
      const [one] = await refined!.extract(frame);
      for (let k = 0; k < DESCRIPTOR_LENGTH; k++)
        expect(one!.descriptor[k]).toBeCloseTo(faces[0]!.descriptor[k]!, 5);
    },
  );

  it.skipIf(!hasRefiner)(
    'tracks video frames, averaging the emotion values, and lists its model files',
    async () => {
      const e = refined!;
      const { alpha } = REFINEMENT_SPEC.emotion.videoSmoothing;
      // Emotion values of a face without the average (fitFaces without a smoother).
      const unsmoothed = async (f: FittedFace) =>
        (await e.fitFaces(frame, [f.face], { emotionViews: 'single' }))[0]!.emotionLogProbabilities!;
      const [first] = await e.extract(frame, { videoFrame: 'first', timestampMs: 0 });
      expect(first!.emotionLogProbabilities).toHaveLength(EMOTION_VALUES);
      expect(Number.isFinite(first!.fitErrorPercent)).toBe(true);
      // The first frame of a track passes through; the next is averaged with it.
      expect(first!.emotionLogProbabilities).toEqual(await unsmoothed(first!));
      const [next] = await e.extract(frame, { videoFrame: 'next', timestampMs: 40 });
      const v = await unsmoothed(next!);
      for (let k = 0; k < EMOTION_VALUES; k++) {
        expect(next!.emotionLogProbabilities![k]).toBeCloseTo(
          alpha * v[k]! + (1 - alpha) * first!.emotionLogProbabilities![k]!,
          5,
        );
      }
      await expect(
        e.fitFaces(frame, [next!.face, next!.face], { emotionSmoother: new EmotionSmoother() }),
      ).rejects.toThrow(RangeError);
      e.resetTracking();
      const [again] = await e.extract(frame, { videoFrame: 'next', timestampMs: 80 });
      expect(again!.emotionLogProbabilities).toEqual(await unsmoothed(again!));
      await expect(e.extract(frame, { videoFrame: 'last' as 'next' })).rejects.toThrow(TypeError);
      const files = await e.modelFiles();
      expect(files.map((m) => m.role)).toEqual([
        'detector',
        'mesh',
        'iris',
        'emotion',
        'expression-refiner',
        'face-model',
      ]);
      expect(files.find((m) => m.role === 'expression-refiner')).toMatchObject({
        id: REFINEMENT_SPEC.refiner.model,
      });
      expect(files.every((m) => m.role === 'face-model' || /^[0-9a-f]{64}$/.test(m.sha256!))).toBe(true);
      expect(await e.modelFiles()).toBe(files);
    },
  );
});

describe('symmetric extraction (a second pipeline on the mirror image)', () => {
  let sym: FaceDescriptorExtractor;
  let plain: FaceDescriptorExtractor;
  let frame: RgbaFrame;
  let flipped: RgbaFrame;
  let mirror: DescriptorMirror;
  beforeAll(async () => {
    sym = await FaceDescriptorExtractor.create({ symmetric: true, refine: hasRefiner });
    plain = await FaceDescriptorExtractor.create({ fitter: sym.fitter, refine: hasRefiner });
    mirror = DescriptorMirror.fromModel(sym.fitter.model);
    frame = await readImageFile(photo('sample2.jpg'));
    const copy = mirrorFrame(
      { extractor: plain, mirror, partners: new Uint16Array(0), frame: undefined },
      frame,
    );
    flipped = { width: copy.width, height: copy.height, data: copy.data.slice() };
  });
  afterAll(async () => {
    await sym?.dispose();
    await plain?.dispose();
  });

  /** Largest |a - mirror(b)| over the motion fields, and over expression alone. */
  function mirrorGap(a: Float32Array, b: Float32Array): number {
    const m = mirror.mirror(b, new Float64Array(b.length));
    let max = 0;
    for (const f of MOTION_FIELDS) {
      const { start: s, end: e } = DescriptorField[f];
      for (let k = s; k < e; k++) max = Math.max(max, Math.abs(a[k]! - m[k]!));
    }
    return max;
  }

  it('gives exactly the mirrored motion for a mirrored photo (one pipeline does not)', async () => {
    const [a] = await sym.extract(frame);
    const [b] = await sym.extract(flipped);
    const [pa] = await plain.extract(frame);
    const [pb] = await plain.extract(flipped);
    const exact = mirrorGap(a!.descriptor, b!.descriptor);
    const single = mirrorGap(pa!.descriptor, pb!.descriptor);
    expect(exact).toBeLessThan(1e-5);
    expect(single).toBeGreaterThan(100 * exact);
    // Identity, texture and lighting are the frame's own pass.
    const id = DescriptorField.identity;
    expect(a!.descriptor.subarray(id.start, id.end)).toEqual(pa!.descriptor.subarray(id.start, id.end));
    // The face is the two detections averaged: its mesh mirrors too, and the fit error is against it.
    const partners = meshPartners(vertexMirrorMap(sym.fitter.model.meanShape, sym.fitter.model.vertexCount));
    let meshGap = 0;
    for (let i = 0; i < a!.face.pointCount; i++) {
      const p = partners[i]!;
      meshGap = Math.max(meshGap, Math.abs(a!.face.mesh[i * 3]! - (frame.width - b!.face.mesh[p * 3]!)));
      meshGap = Math.max(meshGap, Math.abs(a!.face.mesh[i * 3 + 1]! - b!.face.mesh[p * 3 + 1]!));
    }
    expect(meshGap).toBeLessThan(1e-3);
    expect(a!.fitErrorPercent).toBe(sym.fitter.fitErrorPercent(a!.face, a!.descriptor, frame));
    expect(a!.fitErrorPercent).toBeLessThan(1);
    if (hasRefiner) {
      const ea = a!.emotionLogProbabilities!;
      const eb = b!.emotionLogProbabilities!;
      for (let k = 0; k < EMOTION_VALUES; k++) expect(ea[k]).toBeCloseTo(eb[k]!, 5);
    }
  });

  it('tracks video with two trackers: a mirrored clip gives the mirrored motion frame by frame', async () => {
    const other = await FaceDescriptorExtractor.create({
      symmetric: true,
      fitter: sym.fitter,
      refine: hasRefiner,
    });
    try {
      for (const [i, videoFrame] of (['first', 'next', 'next'] as const).entries()) {
        const [a] = await sym.extract(frame, { videoFrame, timestampMs: i * 40 });
        const [b] = await other.extract(flipped, { videoFrame, timestampMs: i * 40 });
        expect(mirrorGap(a!.descriptor, b!.descriptor)).toBeLessThan(1e-5);
      }
    } finally {
      await other.dispose();
    }
  });
});
