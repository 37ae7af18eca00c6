import { rotationFromAngles } from '@semface/face-model';
import { describe, expect, it } from 'vitest';
import { SimilaritySolver, createSimilarity } from './similarity.js';

function apply(r: Float64Array, p: readonly number[]): number[] {
  const [x = 0, y = 0, z = 0] = p;
  return [
    (r[0] as number) * x + (r[1] as number) * y + (r[2] as number) * z,
    (r[3] as number) * x + (r[4] as number) * y + (r[5] as number) * z,
    (r[6] as number) * x + (r[7] as number) * y + (r[8] as number) * z,
  ];
}

describe('SimilaritySolver', () => {
  it('recovers a known similarity and never returns a reflection', () => {
    const r = rotationFromAngles(0.4, -0.9, 0.2, new Float64Array(9));
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 30; i++) {
      const p = [Math.sin(i * 1.3), Math.cos(i * 0.7), Math.sin(i * 2.1) * 0.5];
      x.push(...p);
      const q = apply(r, p);
      y.push(2.5 * (q[0] as number) + 10, 2.5 * (q[1] as number) - 3, 2.5 * (q[2] as number) + 1);
    }
    const sim = createSimilarity();
    expect(new SimilaritySolver().solve(x, y, 30, sim)).toBe(true);
    expect(sim.s).toBeCloseTo(2.5, 9);
    for (let i = 0; i < 9; i++) expect(sim.r[i]).toBeCloseTo(r[i] as number, 9);
    expect(Array.from(sim.t).map((v) => Number(v.toFixed(6)))).toEqual([10, -3, 1]);
    // A mirrored target gets the best proper rotation (determinant +1), not a reflection.
    const mirrored = y.map((v, i) => (i % 3 === 0 ? -v : v));
    new SimilaritySolver().solve(x, mirrored, 30, sim);
    const m = sim.r;
    const det =
      (m[0] as number) * ((m[4] as number) * (m[8] as number) - (m[5] as number) * (m[7] as number)) -
      (m[1] as number) * ((m[3] as number) * (m[8] as number) - (m[5] as number) * (m[6] as number)) +
      (m[2] as number) * ((m[3] as number) * (m[7] as number) - (m[4] as number) * (m[6] as number));
    expect(det).toBeCloseTo(1, 9);
  });
});
