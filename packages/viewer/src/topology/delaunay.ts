/**
 * Bowyer-Watson Delaunay triangulation of 2-D points. O(n^2) in the worst case, which is plenty
 * for a few hundred face-mesh vertices triangulated once.
 */

/** Triangles as vertex-index triples, counter-clockwise in a y-up frame (clockwise on screen). */
export type Triangles = Uint16Array;

interface Tri {
  a: number;
  b: number;
  c: number;
  /** Circumcircle centre and squared radius. */
  cx: number;
  cy: number;
  r2: number;
}

function circumcircle(xs: Float64Array, ys: Float64Array, a: number, b: number, c: number): Tri {
  const ax = xs[a]!;
  const ay = ys[a]!;
  const bx = xs[b]! - ax;
  const by = ys[b]! - ay;
  const cx = xs[c]! - ax;
  const cy = ys[c]! - ay;
  const d = 2 * (bx * cy - by * cx);
  if (d === 0) return { a, b, c, cx: ax, cy: ay, r2: Number.POSITIVE_INFINITY };
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  const ux = (cy * b2 - by * c2) / d;
  const uy = (bx * c2 - cx * b2) / d;
  return { a, b, c, cx: ax + ux, cy: ay + uy, r2: ux * ux + uy * uy };
}

/**
 * Triangulates `points` (`[x0, y0, x1, y1, ...]`). Duplicate points are skipped (they end up
 * in no triangle). Throws RangeError for fewer than 3 points or more than 65535.
 */
export function delaunay(points: ArrayLike<number>): Triangles {
  if (points.length % 2 !== 0) throw new RangeError('points must hold x, y pairs');
  const n = points.length / 2;
  if (n < 3 || n > 65535 - 3) throw new RangeError(`need 3..65532 points, got ${n}`);
  const xs = new Float64Array(n + 3);
  const ys = new Float64Array(n + 3);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`point ${i} is not finite`);
    xs[i] = x;
    ys[i] = y;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  // A super-triangle far outside the points; triangles touching it are removed at the end.
  const span = Math.max(maxX - minX, maxY - minY, 1) * 20;
  const midX = (minX + maxX) / 2;
  const midY = (minY + maxY) / 2;
  xs[n] = midX - span;
  ys[n] = midY - span;
  xs[n + 1] = midX + span;
  ys[n + 1] = midY - span;
  xs[n + 2] = midX;
  ys[n + 2] = midY + span;
  let tris: Tri[] = [circumcircle(xs, ys, n, n + 1, n + 2)];
  const seen = new Set<string>();
  for (let p = 0; p < n; p++) {
    const key = `${xs[p]},${ys[p]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const px = xs[p]!;
    const py = ys[p]!;
    const keep: Tri[] = [];
    const edges = new Map<string, [number, number]>();
    for (const t of tris) {
      const dx = px - t.cx;
      const dy = py - t.cy;
      if (dx * dx + dy * dy < t.r2) {
        // The boundary of the removed cavity is made of edges used by exactly one bad triangle.
        for (const [u, v] of [
          [t.a, t.b],
          [t.b, t.c],
          [t.c, t.a],
        ] as const) {
          const k = u < v ? `${u}:${v}` : `${v}:${u}`;
          if (edges.has(k)) edges.delete(k);
          else edges.set(k, [u, v]);
        }
      } else keep.push(t);
    }
    for (const [u, v] of edges.values()) keep.push(circumcircle(xs, ys, u, v, p));
    tris = keep;
  }
  const out: number[] = [];
  for (const t of tris) {
    if (t.a >= n || t.b >= n || t.c >= n) continue;
    // Orient counter-clockwise (positive signed area in x-right, y-up terms).
    const area =
      (xs[t.b]! - xs[t.a]!) * (ys[t.c]! - ys[t.a]!) - (ys[t.b]! - ys[t.a]!) * (xs[t.c]! - xs[t.a]!);
    if (area === 0) continue;
    if (area > 0) out.push(t.a, t.b, t.c);
    else out.push(t.a, t.c, t.b);
  }
  return Uint16Array.from(out);
}
