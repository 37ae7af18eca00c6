import { largestEigenvector4 } from './linalg.js';

/** A 3-D similarity transform `y = s R x + t`. */
export interface Similarity {
  /** Scale. */
  s: number;
  /** Row-major 3 x 3 rotation. */
  readonly r: Float64Array;
  /** Translation (3). */
  readonly t: Float64Array;
}

/** Creates an identity similarity to be filled by {@link SimilaritySolver.solve}. */
export function createSimilarity(): Similarity {
  return { s: 1, r: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), t: new Float64Array(3) };
}

/**
 * Least-squares similarity between two point sets (Horn's closed form with unit quaternions),
 * so a reflection can never be returned. Holds its scratch buffers: reuse one instance.
 */
export class SimilaritySolver {
  private readonly n4 = new Float64Array(16);
  private readonly v4 = new Float64Array(16);
  private readonly q = new Float64Array(4);

  /**
   * Finds `s, R, t` minimising `Σ |s R x_i + t - y_i|²` over the first `count` points
   * (x, y: `count * 3` coordinates; y may have a larger stride, given by `yStride`).
   * Returns false for degenerate input (all source or target points coincide).
   */
  solve(x: ArrayLike<number>, y: ArrayLike<number>, count: number, out: Similarity, yStride = 3): boolean {
    let mx0 = 0;
    let mx1 = 0;
    let mx2 = 0;
    let my0 = 0;
    let my1 = 0;
    let my2 = 0;
    for (let i = 0; i < count; i++) {
      mx0 += x[i * 3] as number;
      mx1 += x[i * 3 + 1] as number;
      mx2 += x[i * 3 + 2] as number;
      my0 += y[i * yStride] as number;
      my1 += y[i * yStride + 1] as number;
      my2 += y[i * yStride + 2] as number;
    }
    mx0 /= count;
    mx1 /= count;
    mx2 /= count;
    my0 /= count;
    my1 /= count;
    my2 /= count;
    let sxx = 0;
    let sxy = 0;
    let sxz = 0;
    let syx = 0;
    let syy = 0;
    let syz = 0;
    let szx = 0;
    let szy = 0;
    let szz = 0;
    let varX = 0;
    let varY = 0;
    for (let i = 0; i < count; i++) {
      const a0 = (x[i * 3] as number) - mx0;
      const a1 = (x[i * 3 + 1] as number) - mx1;
      const a2 = (x[i * 3 + 2] as number) - mx2;
      const b0 = (y[i * yStride] as number) - my0;
      const b1 = (y[i * yStride + 1] as number) - my1;
      const b2 = (y[i * yStride + 2] as number) - my2;
      sxx += a0 * b0;
      sxy += a0 * b1;
      sxz += a0 * b2;
      syx += a1 * b0;
      syy += a1 * b1;
      syz += a1 * b2;
      szx += a2 * b0;
      szy += a2 * b1;
      szz += a2 * b2;
      varX += a0 * a0 + a1 * a1 + a2 * a2;
      varY += b0 * b0 + b1 * b1 + b2 * b2;
    }
    if (!(varX > 1e-20) || !(varY > 1e-20)) return false;
    const n = this.n4;
    n[0] = sxx + syy + szz;
    n[1] = syz - szy;
    n[2] = szx - sxz;
    n[3] = sxy - syx;
    n[5] = sxx - syy - szz;
    n[6] = sxy + syx;
    n[7] = szx + sxz;
    n[10] = -sxx + syy - szz;
    n[11] = syz + szy;
    n[15] = -sxx - syy + szz;
    n[4] = n[1] as number;
    n[8] = n[2] as number;
    n[12] = n[3] as number;
    n[9] = n[6] as number;
    n[13] = n[7] as number;
    n[14] = n[11] as number;
    largestEigenvector4(n, this.v4, this.q);
    const qw = this.q[0] as number;
    const qx = this.q[1] as number;
    const qy = this.q[2] as number;
    const qz = this.q[3] as number;
    const r = out.r;
    r[0] = qw * qw + qx * qx - qy * qy - qz * qz;
    r[1] = 2 * (qx * qy - qw * qz);
    r[2] = 2 * (qx * qz + qw * qy);
    r[3] = 2 * (qx * qy + qw * qz);
    r[4] = qw * qw - qx * qx + qy * qy - qz * qz;
    r[5] = 2 * (qy * qz - qw * qx);
    r[6] = 2 * (qx * qz - qw * qy);
    r[7] = 2 * (qy * qz + qw * qx);
    r[8] = qw * qw - qx * qx - qy * qy + qz * qz;
    // s = Σ b·(R a) / Σ|a|² = trace(Rᵀ S) / varX with S_ab = Σ a_a b_b.
    const dot =
      (r[0] as number) * sxx +
      (r[1] as number) * syx +
      (r[2] as number) * szx +
      (r[3] as number) * sxy +
      (r[4] as number) * syy +
      (r[5] as number) * szy +
      (r[6] as number) * sxz +
      (r[7] as number) * syz +
      (r[8] as number) * szz;
    const s = dot / varX;
    out.s = s;
    out.t[0] = my0 - s * ((r[0] as number) * mx0 + (r[1] as number) * mx1 + (r[2] as number) * mx2);
    out.t[1] = my1 - s * ((r[3] as number) * mx0 + (r[4] as number) * mx1 + (r[5] as number) * mx2);
    out.t[2] = my2 - s * ((r[6] as number) * mx0 + (r[7] as number) * mx1 + (r[8] as number) * mx2);
    return s > 0;
  }
}
