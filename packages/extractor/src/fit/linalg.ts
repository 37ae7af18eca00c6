/**
 * Small dense linear algebra for the face fit: fixed-size, allocation-free inner loops.
 * Matrices are row-major Float64Arrays.
 */

/**
 * Solves `A X = B` in place for a symmetric positive-definite `A` (n x n) by Cholesky.
 * `a` is overwritten by its factor and `b` (n x m) by the solution.
 * Returns false when `A` is not positive definite.
 */
export function choleskySolveInPlace(a: Float64Array, n: number, b: Float64Array, m: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) {
      const l = a[j * n + k] as number;
      d -= l * l;
    }
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = s / ljj;
    }
  }
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * m + c] as number;
      for (let k = 0; k < i; k++) s -= (a[i * n + k] as number) * (b[k * m + c] as number);
      b[i * m + c] = s / (a[i * n + i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * m + c] as number;
      for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (b[k * m + c] as number);
      b[i * m + c] = s / (a[i * n + i] as number);
    }
  }
  return true;
}

/**
 * Ridge pseudo-inverse of a basis stored as `k` rows of length `d`:
 * returns `(B Bᵀ + λ I)⁻¹ B` (k x d), so that coefficients = result · residual.
 */
export function ridgePseudoInverse(
  rows: Float32Array | Float64Array,
  k: number,
  d: number,
  lambda: number,
): Float64Array {
  const gram = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      const oi = i * d;
      const oj = j * d;
      for (let t = 0; t < d; t++) s += (rows[oi + t] as number) * (rows[oj + t] as number);
      gram[i * k + j] = s;
      gram[j * k + i] = s;
    }
    gram[i * k + i] = (gram[i * k + i] as number) + lambda;
  }
  const out = Float64Array.from(rows);
  if (!choleskySolveInPlace(gram, k, out, d))
    throw new RangeError('basis Gram matrix is not positive definite');
  return out;
}

/** `out[i] = Σ_j m[i*cols + j] * v[j]` for a rows x cols matrix. */
export function matVec(
  m: Float32Array | Float64Array,
  rows: number,
  cols: number,
  v: Float64Array,
  out: Float64Array,
): void {
  // Four partial sums let the engine overlap the multiply-adds.
  const tail = cols - (cols % 4);
  for (let i = 0; i < rows; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const o = i * cols;
    let j = 0;
    for (; j < tail; j += 4) {
      s0 += (m[o + j] as number) * (v[j] as number);
      s1 += (m[o + j + 1] as number) * (v[j + 1] as number);
      s2 += (m[o + j + 2] as number) * (v[j + 2] as number);
      s3 += (m[o + j + 3] as number) * (v[j + 3] as number);
    }
    for (; j < cols; j++) s0 += (m[o + j] as number) * (v[j] as number);
    out[i] = s0 + s1 + s2 + s3;
  }
}

/**
 * Eigenvector of the largest eigenvalue of a symmetric 4 x 4 matrix (cyclic Jacobi).
 * `a` (16) is destroyed; `v` (16) is scratch; the result is written to `out` (4).
 */
export function largestEigenvector4(a: Float64Array, v: Float64Array, out: Float64Array): void {
  v.fill(0);
  v[0] = 1;
  v[5] = 1;
  v[10] = 1;
  v[15] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) off += (a[p * 4 + q] as number) ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < 3; p++) {
      for (let q = p + 1; q < 4; q++) {
        const apq = a[p * 4 + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * 4 + p] as number;
        const aqq = a[q * 4 + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < 4; k++) {
          const akp = a[k * 4 + p] as number;
          const akq = a[k * 4 + q] as number;
          a[k * 4 + p] = c * akp - s * akq;
          a[k * 4 + q] = s * akp + c * akq;
        }
        for (let k = 0; k < 4; k++) {
          const apk = a[p * 4 + k] as number;
          const aqk = a[q * 4 + k] as number;
          a[p * 4 + k] = c * apk - s * aqk;
          a[q * 4 + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 4; k++) {
          const vkp = v[k * 4 + p] as number;
          const vkq = v[k * 4 + q] as number;
          v[k * 4 + p] = c * vkp - s * vkq;
          v[k * 4 + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < 4; i++) if ((a[i * 5] as number) > (a[best * 5] as number)) best = i;
  for (let k = 0; k < 4; k++) out[k] = v[k * 4 + best] as number;
}
