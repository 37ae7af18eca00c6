import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core/layout';
import { describe, expect, it } from 'vitest';
import { ArkitInverter, INVERTIBLE_BLENDSHAPES } from './arkit-inverse.js';
import { FaceRig } from './face-rig.js';

/** A smooth sequence of faces: a few expression coefficients moving, the head turning. */
function face(t: number): Float32Array {
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  const e = DescriptorField.expression.start;
  for (let k = 0; k < 8; k++) d[e + k] = 0.8 * Math.sin(t / (3 + k) + k);
  d[DescriptorField.rotation.start + 1] = 0.3 * Math.sin(t / 10);
  return d;
}

describe('ArkitInverter', () => {
  it('finds descriptors that the rig maps back to the same weights', () => {
    const rig = new FaceRig({ adaptEyes: false });
    const back = new FaceRig({ adaptEyes: false });
    const inverter = new ArkitInverter();
    let sum = 0;
    let n = 0;
    for (let t = 0; t < 30; t++) {
      const f = rig.solve(face(t));
      const d = inverter.descriptor(f.arkit, { pitch: f.head.pitch, yaw: f.head.yaw, roll: f.head.roll });
      expect(d[DescriptorField.rotation.start + 1]).toBeCloseTo(f.head.yaw, 6);
      const g = back.solve(d);
      for (const name of INVERTIBLE_BLENDSHAPES) {
        sum += Math.abs(g.arkit[name] - f.arkit[name]);
        n++;
      }
    }
    expect(sum / n).toBeLessThan(0.02);
  });

  it('gives the mean face for all-zero weights (prior) and validates options', () => {
    const d = new ArkitInverter().descriptor({});
    const e = DescriptorField.expression;
    for (let i = e.start; i < e.end; i++) expect(Math.abs(d[i]!)).toBeLessThan(3);
    expect(() => new ArkitInverter({ iterations: 0 })).toThrow(RangeError);
    expect(() => new ArkitInverter().descriptor({ jawOpen: Number.NaN })).toThrow(RangeError);
  });
});
