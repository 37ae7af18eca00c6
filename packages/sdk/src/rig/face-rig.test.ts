import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core/layout';
import { describe, expect, it } from 'vitest';
import { ARKIT_BLENDSHAPES, mirrorArkitName } from './arkit.js';
import { knee } from './arkit-mapping.js';
import { measureFace } from './face-measures.js';
import { defaultFaceRigModel } from './face-rig-model.js';
import { DEFAULT_FACE_RIG_OPTIONS, FaceRig, resolveFaceRigOptions } from './face-rig.js';
import { headPose } from './head-pose.js';
import { mirrorHeadPose, mirrorRigShape, rigMirrorMap } from './mirror.js';
import { VRM_EXPRESSIONS } from './vrm.js';

/** Deterministic descriptors: expression coefficients ~ N(0, s²) (unit prior), small head rotation. */
function descriptor(seed: number, s = 1): Float32Array {
  let x = (seed * 2654435761 + 7) >>> 0;
  const rand = () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = DescriptorField.expression.start; i < DescriptorField.expression.end; i++) d[i] = s * gauss();
  const r = DescriptorField.rotation.start;
  d[r] = 0.3 * (rand() - 0.5);
  d[r + 1] = 0.6 * (rand() - 0.5);
  d[r + 2] = 0.3 * (rand() - 0.5);
  return d;
}

/** Expression coefficients that move the lip gap most per unit (the gradient direction), unit length. */
function mouthOpeningDirection(): Float32Array {
  const model = defaultFaceRigModel();
  const zero = new Float32Array(DESCRIPTOR_LENGTH);
  const g0 = measureFace(model, zero).lipGap;
  const dir = new Float32Array(model.expressionCount);
  for (let k = 0; k < model.expressionCount; k++) {
    const d = new Float32Array(DESCRIPTOR_LENGTH);
    d[DescriptorField.expression.start + k] = 1;
    dir[k] = measureFace(model, d).lipGap - g0;
  }
  const n = Math.hypot(...dir);
  return dir.map((v) => v / n);
}

describe('FaceRig', () => {
  it('gives every ARKit and VRM weight in [0, 1] and a unit head quaternion, even for extreme faces', () => {
    const rig = new FaceRig();
    for (let i = 0; i < 200; i++) {
      const f = rig.solve(descriptor(i, i % 2 ? 1 : 4));
      expect(Object.keys(f.arkit)).toHaveLength(52);
      for (const n of ARKIT_BLENDSHAPES) {
        expect(f.arkit[n]).toBeGreaterThanOrEqual(0);
        expect(f.arkit[n]).toBeLessThanOrEqual(1);
      }
      for (const n of VRM_EXPRESSIONS) {
        expect(f.vrm.expressions[n]).toBeGreaterThanOrEqual(0);
        expect(f.vrm.expressions[n]).toBeLessThanOrEqual(1);
      }
      const q = f.head.rotation;
      expect(Math.hypot(q.x, q.y, q.z, q.w)).toBeCloseTo(1, 9);
    }
  });

  it('opens the jaw as the lip gap grows, monotonically, from near 0 to near 1', () => {
    const dir = mouthOpeningDirection();
    const rig = new FaceRig();
    const values: number[] = [];
    const gaps: number[] = [];
    for (let t = -1; t <= 6; t += 0.25) {
      const d = new Float32Array(DESCRIPTOR_LENGTH);
      dir.forEach((v, k) => {
        d[DescriptorField.expression.start + k] = t * v;
      });
      const f = rig.solve(d);
      values.push(f.arkit.jawOpen);
      gaps.push(f.measures.lipGap);
    }
    for (let i = 1; i < values.length; i++) {
      expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
      expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    }
    expect(values[0]!).toBeLessThan(0.1);
    expect(values[values.length - 1]!).toBeGreaterThan(0.9);
  });

  it('swaps Left and Right on a mirrored face (mesh and head pose mirrored)', () => {
    const model = defaultFaceRigModel();
    const map = rigMirrorMap(model);
    const a = new FaceRig();
    const b = new FaceRig();
    let worst = 0;
    for (let i = 0; i < 100; i++) {
      const d = descriptor(1000 + i);
      const fa = a.solve(d);
      const fb = b.solveShape(mirrorRigShape(model, model.shape(d), map), mirrorHeadPose(headPose(d)));
      for (const n of ARKIT_BLENDSHAPES)
        worst = Math.max(worst, Math.abs(fa.arkit[n] - fb.arkit[mirrorArkitName(n)]));
      expect(fb.vrm.expressions.blinkLeft).toBeCloseTo(fa.vrm.expressions.blinkRight, 9);
      expect(fb.vrm.expressions.lookLeft).toBeCloseTo(fa.vrm.expressions.lookRight, 9);
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('mirror map pairs the landmark sides and keeps the midline', () => {
    const model = defaultFaceRigModel();
    const map = rigMirrorMap(model);
    const partner = (v: number) => model.vertices[map[model.row(v)]!];
    expect(partner(33)).toBe(263);
    expect(partner(61)).toBe(291);
    expect(partner(159)).toBe(386);
    expect(partner(13)).toBe(13);
  });

  it('keeps weights still on a still face (eye adaptation settles)', () => {
    const rig = new FaceRig();
    const d = descriptor(42);
    const frames = Array.from({ length: 150 }, () => rig.solve(d)).slice(50);
    for (const n of ARKIT_BLENDSHAPES) {
      const xs = frames.map((f) => f.arkit[n]);
      const mean = xs.reduce((p, q) => p + q, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((p, q) => p + (q - mean) ** 2, 0) / xs.length);
      expect(std, n).toBeLessThanOrEqual(0.01);
    }
  });

  it('adapts half-way to a narrow-eyed face; calibrate() sets the zero point', () => {
    const model = defaultFaceRigModel();
    // Push the eyes narrower along the eye-closing gradient until both ratios are ~0.25.
    const dir = new Float32Array(model.expressionCount);
    const zero = new Float32Array(DESCRIPTOR_LENGTH);
    const m0 = measureFace(model, zero);
    for (let k = 0; k < model.expressionCount; k++) {
      const d = new Float32Array(DESCRIPTOR_LENGTH);
      d[DescriptorField.expression.start + k] = 1;
      const m = measureFace(model, d);
      dir[k] = m.eyeOpenLeft + m.eyeOpenRight - m0.eyeOpenLeft - m0.eyeOpenRight;
    }
    const narrow = new Float32Array(DESCRIPTOR_LENGTH);
    let t = 0;
    while (measureFace(model, narrow).eyeOpenLeft > 0.25 && t < 50) {
      t += 0.1;
      dir.forEach((v, k) => {
        narrow[DescriptorField.expression.start + k] = (-t * v) / Math.hypot(...dir);
      });
    }
    const fixed = new FaceRig({ adaptEyes: false }).solve(narrow);
    const adaptive = new FaceRig();
    let last = adaptive.solve(narrow);
    for (let i = 0; i < 100; i++) last = adaptive.solve(narrow);
    expect(fixed.arkit.eyeBlinkLeft).toBeGreaterThan(0.3);
    // Half of the narrow eye's offset is adapted away (EYE_ADAPT_SHARE), the rest is left to calibrate().
    expect(last.arkit.eyeBlinkLeft).toBeLessThan(0.65 * fixed.arkit.eyeBlinkLeft);
    expect(last.arkit.eyeBlinkLeft).toBeGreaterThan(0.35 * fixed.arkit.eyeBlinkLeft);
    const calibrated = new FaceRig({ adaptEyes: false });
    calibrated.calibrate(narrow);
    const c = calibrated.solve(narrow);
    // jawOpen is not calibrated: it measures the gap from closed lips, whatever the rest face.
    for (const n of [
      'eyeBlinkLeft',
      'mouthSmileLeft',
      'mouthFrownLeft',
      'browInnerUp',
      'browDownLeft',
    ] as const) {
      expect(c.arkit[n], n).toBeLessThan(0.2);
    }
  });

  it('head pose: yaw to the subject right turns the glTF head toward -x; camera gaze counter-rotates', () => {
    const d = new Float32Array(DESCRIPTOR_LENGTH);
    d[DescriptorField.rotation.start + 1] = 0.3;
    const f = new FaceRig().solve(d);
    const q = f.head.rotation;
    // Rotate the face's forward axis +z by q.
    const fx = 2 * (q.x * q.z + q.w * q.y);
    expect(fx).toBeCloseTo(-Math.sin(0.3), 6);
    expect(f.gaze.yaw).toBeCloseTo(0.3, 6);
    expect(f.arkit.eyeLookOutLeft).toBeGreaterThan(0.5);
    expect(f.arkit.eyeLookInRight).toBeCloseTo(f.arkit.eyeLookOutLeft, 9);
    expect(f.arkit.eyeLookOutRight).toBe(0);
    const ahead = new FaceRig({ gaze: 'ahead' }).solve(d);
    expect(ahead.arkit.eyeLookOutLeft).toBe(0);
  });

  it('splits the head rotation between neck and head bones (neck x head = head pose)', () => {
    const f = new FaceRig({ neckShare: 0.4 }).solve(descriptor(7));
    const a = f.vrm.neck;
    const b = f.vrm.head;
    const w = a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z;
    const x = a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y;
    expect(w).toBeCloseTo(f.head.rotation.w, 9);
    expect(x).toBeCloseTo(f.head.rotation.x, 9);
  });

  it('validates options once and rejects bad descriptors', () => {
    expect(Object.isFrozen(DEFAULT_FACE_RIG_OPTIONS)).toBe(true);
    expect(() => resolveFaceRigOptions({ gazeRangeDeg: 0 })).toThrow(RangeError);
    expect(() => resolveFaceRigOptions({ neckShare: 2 })).toThrow(RangeError);
    expect(() => resolveFaceRigOptions({ gaze: 'up' as 'camera' })).toThrow(TypeError);
    const rig = new FaceRig();
    expect(() => rig.solve(new Float32Array(10))).toThrow(RangeError);
    const nan = new Float32Array(DESCRIPTOR_LENGTH);
    nan[DescriptorField.expression.start] = Number.NaN;
    expect(() => rig.solve(nan)).toThrow(RangeError);
  });

  it('knee is a strictly monotone soft clamp into [0, 1]', () => {
    let prev = -1;
    for (let u = -2; u <= 3; u += 0.01) {
      const k = knee(u);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThanOrEqual(1);
      expect(k).toBeGreaterThanOrEqual(prev);
      prev = k;
    }
    expect(knee(0.5)).toBeCloseTo(0.5, 6);
  });
});
