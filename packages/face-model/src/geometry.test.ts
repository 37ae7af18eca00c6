import { describe, expect, it } from 'vitest';
import { anglesFromRotation, rotationFromAngles } from './geometry.js';

function apply(r: Float64Array, p: readonly number[]): number[] {
  const [x = 0, y = 0, z = 0] = p;
  return [
    (r[0] as number) * x + (r[1] as number) * y + (r[2] as number) * z,
    (r[3] as number) * x + (r[4] as number) * y + (r[5] as number) * z,
    (r[6] as number) * x + (r[7] as number) * y + (r[8] as number) * z,
  ];
}

describe('rotation angles', () => {
  it('round-trips angles through the matrix', () => {
    const r = new Float64Array(9);
    const out = new Float64Array(3);
    for (const [p, y, z] of [
      [0.1, -0.4, 0.3],
      [-0.7, 1.2, -2.5],
      [0, 0, 0],
    ] as const) {
      anglesFromRotation(rotationFromAngles(p, y, z, r), out);
      expect(out[0]).toBeCloseTo(p, 9);
      expect(out[1]).toBeCloseTo(y, 9);
      expect(out[2]).toBeCloseTo(z, 9);
    }
  });

  it('follows the documented signs (nose tip at -z, image y down)', () => {
    const r = new Float64Array(9);
    const nose = [0, 0, -1];
    expect(apply(rotationFromAngles(0.3, 0, 0, r), nose)[1]).toBeGreaterThan(0); // pitch > 0: nose moves down
    expect(apply(rotationFromAngles(0, 0.3, 0, r), nose)[0]).toBeLessThan(0); // yaw > 0: nose moves left
    expect(apply(rotationFromAngles(0, 0, 0.3, r), [1, 0, 0])[1]).toBeGreaterThan(0); // roll > 0: clockwise on screen
  });
});
