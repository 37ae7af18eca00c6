import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import { DEFAULT_MODEL_DIR } from '../models/model-files.js';
import { extractorModels } from '../models/session.js';
import type { RgbaFrame } from '../types.js';
import { EMOTION_VALUES, EmotionTeacher } from './emotion-teacher.js';
import { ExpressionRefiner } from './expression-refiner.js';

const pkg = fileURLToPath(new URL('../../', import.meta.url));
const { emotion, refiner } = REFINEMENT_SPEC;
const hasRefiner = existsSync(join(DEFAULT_MODEL_DIR, refiner.model));
if (!hasRefiner) {
  process.stdout.write(
    `skipped (refiner tests): no ${refiner.model} in ${DEFAULT_MODEL_DIR} (training/refine writes it)\n`,
  );
}

/** Deterministic PRNG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function noiseFrame(width: number, height: number, seed: number): RgbaFrame {
  const rnd = lcg(seed);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i & 3) === 3 ? 255 : Math.floor(rnd() * 256);
  return { width, height, data };
}

describe('refinement contract', () => {
  it('the generated TypeScript view matches contracts/expression-refinement.json', () => {
    const run = spawnSync(process.execPath, [join(pkg, 'scripts/generate-refinement.mjs'), '--check']);
    expect(run.stderr.toString()).toBe('');
    expect(run.status).toBe(0);
  });

  it('is consistent with the descriptor layout', () => {
    const slices = refiner.input.descriptorSlices;
    for (const s of slices) {
      expect(DescriptorField[s.field]).toMatchObject({ start: s.start, end: s.end });
    }
    expect(refiner.input.emotionValues).toBe(emotion.labels.length);
    expect(EMOTION_VALUES).toBe(emotion.labels.length);
    expect(refiner.input.width).toBe(slices.reduce((n, s) => n + s.end - s.start, 0) + EMOTION_VALUES);
    expect(DescriptorField.expression).toMatchObject({
      start: refiner.output.start,
      end: refiner.output.end,
    });
  });
});

describe('EmotionTeacher', () => {
  const models = extractorModels(DEFAULT_MODEL_DIR, 1);
  afterAll(() => models.dispose());

  it('returns 7 floored log-probabilities per box, one batch equal to single runs', async () => {
    const teacher = await EmotionTeacher.create(models);
    const frame = noiseFrame(160, 120, 3);
    const boxes = [
      { x: 20, y: 10, width: 60, height: 70 },
      { x: 90, y: 40, width: 50, height: 50 },
    ];
    const both = await teacher.logProbabilities(frame, boxes);
    expect(both).toHaveLength(2 * EMOTION_VALUES);
    for (let i = 0; i < boxes.length; i++) {
      const row = both.subarray(i * EMOTION_VALUES, (i + 1) * EMOTION_VALUES);
      expect(row.every((v) => v <= 0 && v >= Math.log(emotion.logProbabilityFloor) - 1e-4)).toBe(true);
      expect(row.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 3);
      const single = await teacher.logProbabilities(frame, [boxes[i]!]);
      for (let k = 0; k < EMOTION_VALUES; k++) expect(single[k]).toBeCloseTo(row[k]!, 4);
    }
    expect(await teacher.logProbabilities(frame, [])).toHaveLength(0);
    await expect(EmotionTeacher.create(models, 0)).rejects.toThrow(RangeError);
  });

  it('still views: the mean probability of every contract scale and its mirror image', async () => {
    const frame = noiseFrame(160, 120, 5);
    const box = { x: 40, y: 20, width: 60, height: 70 };
    const base = await EmotionTeacher.create(models);
    const still = await base.logProbabilities(frame, [box], 'still');
    // The same crops one by one: each scale on the frame and, mirrored, on the mirrored frame.
    const mirroredFrame = { ...frame, data: new Uint8Array(frame.data.length) };
    for (let y = 0; y < frame.height; y++)
      for (let x = 0; x < frame.width; x++)
        for (let c = 0; c < 4; c++)
          mirroredFrame.data[(y * frame.width + frame.width - 1 - x) * 4 + c] =
            frame.data[(y * frame.width + x) * 4 + c]!;
    const mirroredBox = { ...box, x: frame.width - box.x - box.width };
    const sum = new Float64Array(EMOTION_VALUES);
    const { scales } = emotion.stillViews;
    for (const scale of scales) {
      const t = await EmotionTeacher.create(models, scale);
      for (const [f, b] of [
        [frame, box],
        [mirroredFrame, mirroredBox],
      ] as const) {
        const v = await t.logProbabilities(f, [b]);
        for (let k = 0; k < EMOTION_VALUES; k++) sum[k] = sum[k]! + Math.exp(v[k]!) / (2 * scales.length);
      }
    }
    for (let k = 0; k < EMOTION_VALUES; k++) expect(Math.exp(still[k]!)).toBeCloseTo(sum[k]!, 2);
    // Mirror-invariant by construction: the mirrored face gives the same values.
    const again = await base.logProbabilities(mirroredFrame, [mirroredBox], 'still');
    for (let k = 0; k < EMOTION_VALUES; k++) expect(Math.exp(again[k]!)).toBeCloseTo(Math.exp(still[k]!), 2);
    expect(still).not.toEqual(await base.logProbabilities(frame, [box]));
    await expect(base.logProbabilities(frame, [box], 'many' as 'still')).rejects.toThrow(TypeError);
  });
});

describe.skipIf(!hasRefiner)('ExpressionRefiner (shipped model)', () => {
  const models = extractorModels(DEFAULT_MODEL_DIR, 1);
  let model: ExpressionRefiner;
  const rnd = lcg(11);
  const descriptors = Array.from({ length: 3 }, () =>
    Float32Array.from({ length: DESCRIPTOR_LENGTH }, () => (rnd() - 0.5) * 0.6),
  );
  // Log-probabilities of a random distribution per face.
  const logProbs = new Float32Array(descriptors.length * EMOTION_VALUES);
  for (let i = 0; i < descriptors.length; i++) {
    const p = Array.from({ length: EMOTION_VALUES }, () => rnd() + 0.01);
    const sum = p.reduce((s, v) => s + v, 0);
    p.forEach((v, k) => {
      logProbs[i * EMOTION_VALUES + k] = Math.log(v / sum);
    });
  }
  beforeAll(async () => {
    model = await ExpressionRefiner.create(models);
  });
  afterAll(() => models.dispose());

  it('changes only descriptor[80:144], returns copies and is deterministic', async () => {
    const before = descriptors.map((d) => Float32Array.from(d));
    const a = await model.refine(descriptors, logProbs);
    const b = await model.refine(descriptors, logProbs);
    expect(descriptors).toEqual(before);
    expect(a).toEqual(b);
    const { start, end } = refiner.output;
    for (const [i, d] of a.entries()) {
      expect(d).toHaveLength(DESCRIPTOR_LENGTH);
      expect(d).not.toBe(descriptors[i]);
      expect(d.every(Number.isFinite)).toBe(true);
      expect(d.subarray(0, start)).toEqual(descriptors[i]!.subarray(0, start));
      expect(d.subarray(end)).toEqual(descriptors[i]!.subarray(end));
      expect(d.subarray(start, end)).not.toEqual(descriptors[i]!.subarray(start, end));
    }
  });

  it('refines a batch like single faces and checks its inputs', async () => {
    const batch = await model.refine(descriptors, logProbs);
    for (let i = 0; i < descriptors.length; i++) {
      const [one] = await model.refine(
        [descriptors[i]!],
        logProbs.subarray(i * EMOTION_VALUES, (i + 1) * EMOTION_VALUES),
      );
      for (let k = 0; k < DESCRIPTOR_LENGTH; k++) expect(one![k]).toBeCloseTo(batch[i]![k]!, 5);
    }
    expect(await model.refine([], new Float32Array(0))).toEqual([]);
    await expect(model.refine(descriptors, logProbs.subarray(1))).rejects.toThrow(RangeError);
  });
});
