import { describe, expect, it } from 'vitest';
import { delaunay } from './delaunay.js';

function circumcircleContains(p: number[], t: number[], q: number): boolean {
  const [ax, ay, bx, by, cx, cy] = t.flatMap((i) => [p[2 * i]! - p[2 * q]!, p[2 * i + 1]! - p[2 * q + 1]!]);
  const det =
    (ax! * ax! + ay! * ay!) * (bx! * cy! - cx! * by!) -
    (bx! * bx! + by! * by!) * (ax! * cy! - cx! * ay!) +
    (cx! * cx! + cy! * cy!) * (ax! * by! - bx! * ay!);
  return det > 1e-9;
}

describe('delaunay', () => {
  it('splits a square into two triangles', () => {
    expect(delaunay([0, 0, 1, 0, 1, 1, 0, 1]).length).toBe(6);
  });

  it('meets the empty-circumcircle property and covers the hull (Euler count) on random points', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const p = Array.from({ length: 200 }, rnd);
    const tris = delaunay(p);
    // Counter-clockwise (positive area) output.
    for (let t = 0; t < tris.length; t += 3) {
      const [a, b, c] = [tris[t]!, tris[t + 1]!, tris[t + 2]!];
      const area =
        (p[2 * b]! - p[2 * a]!) * (p[2 * c + 1]! - p[2 * a + 1]!) -
        (p[2 * b + 1]! - p[2 * a + 1]!) * (p[2 * c]! - p[2 * a]!);
      expect(area).toBeGreaterThan(0);
      for (let q = 0; q < 100; q++) {
        if (q !== a && q !== b && q !== c) expect(circumcircleContains(p, [a, b, c], q)).toBe(false);
      }
    }
    // n points with h on the hull give 2n - 2 - h triangles; h >= 3, so at most 2n - 5.
    expect(tris.length / 3).toBeLessThanOrEqual(2 * 100 - 5);
    expect(tris.length / 3).toBeGreaterThan(100);
  });

  it('rejects too few or non-finite points', () => {
    expect(() => delaunay([0, 0, 1, 1])).toThrow(RangeError);
    expect(() => delaunay([0, 0, 1, 0, Number.NaN, 1])).toThrow(RangeError);
  });
});
