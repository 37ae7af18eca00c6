import { DescriptorField, fieldLength } from '@semface/codec-core/layout';
import type { FaceModel } from './face-model.js';

/**
 * Left/right vertex correspondence of a face mesh, derived from a (near-)symmetric shape in the
 * canonical frame: vertex i's partner is the vertex nearest to i mirrored across the plane
 * x = mean x. Midline vertices map to themselves.
 */
export function vertexMirrorMap(shape: ArrayLike<number>, vertexCount: number): Uint16Array {
  let cx = 0;
  for (let i = 0; i < vertexCount; i++) cx += shape[i * 3] as number;
  cx /= vertexCount;
  const out = new Uint16Array(vertexCount);
  for (let i = 0; i < vertexCount; i++) {
    const mx = 2 * cx - (shape[i * 3] as number);
    const my = shape[i * 3 + 1] as number;
    const mz = shape[i * 3 + 2] as number;
    let best = i;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < vertexCount; j++) {
      const dx = (shape[j * 3] as number) - mx;
      const dy = (shape[j * 3 + 1] as number) - my;
      const dz = (shape[j * 3 + 2] as number) - mz;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * The horizontal mirror image of points (`partners.length * 3`: x, y, z) written to `out`: point i
 * becomes its partner's point with x reflected to `width - x` (`width` 0 for a canonical frame centred on
 * x = 0, the frame width for pixel coordinates). `out` must not alias `points`.
 */
export function mirrorPoints<T extends Float32Array | Float64Array>(
  points: ArrayLike<number>,
  partners: ArrayLike<number>,
  out: T,
  width = 0,
): T {
  for (let i = 0; i < partners.length; i++) {
    const p = partners[i]!;
    out[i * 3] = width - points[p * 3]!;
    out[i * 3 + 1] = points[p * 3 + 1]!;
    out[i * 3 + 2] = points[p * 3 + 2]!;
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric `n x n` matrix (row-major, not modified) by cyclic Jacobi:
 * `a = V diag(values) Vᵀ`, the columns of `vectors` (row-major `n x n`) orthonormal. For the small
 * matrices of a face model's component space (n ≤ 80), where Jacobi is exact to rounding.
 */
export function symmetricEigen(
  a: ArrayLike<number>,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = m[i * n + j]! ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}

/**
 * The mirror of a linear component space: for basis rows `basis` (`count` rows of `vertexCount * 3`)
 * and the vertex mirror `map` (x negated, partners swapped), the involution `matrix` (`M`, `count x
 * count`, row-major, `M M = I`) with `basis-combination(M c)` nearest the mirror image of
 * `basis-combination(c)`, and the weights `own` (`W`) that merge two views of a face into the
 * symmetric estimate `W c_own + M W c_twin` ({@link DescriptorMirror.average}).
 *
 * Why not the least-squares map itself: a learned basis is not closed under mirroring (part of a
 * mirrored component lies outside the span), so the least-squares map `G⁻¹ B P Bᵀ` is no involution and
 * mirroring twice would not give the face back. In the basis' own metric (`G = B Bᵀ`) that map is the
 * symmetric `A = G^-1/2 B P Bᵀ G^-1/2 = V Λ Vᵀ` with eigenvalues in [-1, 1]; rounding them to ±1 gives
 * the nearest orthogonal involution, `M = G^-1/2 V sign(Λ) Vᵀ G^1/2`. A fit of the mirror image gives
 * about `G⁻¹ B P Bᵀ c`, which keeps only |λ| of a direction, so `W = G^-1/2 V diag(1 / (1 + |λ|)) Vᵀ G^1/2`:
 * then `W c + M W (least-squares mirror of c) = c` exactly, halves (|λ| = 1) where the space is closed and
 * leaves the frame's own view where it is not. `closure` is the mean |eigenvalue|: 1 for a closed basis.
 */
export function componentMirror(
  basis: Float32Array,
  count: number,
  vertexCount: number,
  map: Uint16Array,
): { matrix: Float64Array; own: Float64Array; closure: number } {
  const d = vertexCount * 3;
  const mirrored = new Float64Array(count * d);
  for (let k = 0; k < count; k++) {
    mirrorPoints(basis.subarray(k * d, (k + 1) * d), map, mirrored.subarray(k * d, (k + 1) * d));
  }
  const gram = new Float64Array(count * count);
  const cross = new Float64Array(count * count);
  for (let k = 0; k < count; k++) {
    for (let l = 0; l < count; l++) {
      let g = 0;
      let c = 0;
      for (let j = 0; j < d; j++) {
        const b = basis[k * d + j]!;
        g += b * basis[l * d + j]!;
        c += b * mirrored[l * d + j]!;
      }
      gram[k * count + l] = g;
      cross[k * count + l] = c;
    }
  }
  // B P Bᵀ is symmetric in exact arithmetic (P is a symmetric involution); remove rounding.
  symmetrize(cross, count);
  const g = symmetricEigen(gram, count);
  const sqrt = (power: number): Float64Array => {
    const out = new Float64Array(count * count);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < count; j++) {
        let s = 0;
        for (let k = 0; k < count; k++) {
          s += g.vectors[i * count + k]! * g.values[k]! ** power * g.vectors[j * count + k]!;
        }
        out[i * count + j] = s;
      }
    }
    return out;
  };
  const half = sqrt(0.5);
  const invHalf = sqrt(-0.5);
  const a = symmetrize(multiply(multiply(invHalf, cross, count), invHalf, count), count);
  const e = symmetricEigen(a, count);
  /** `G^-1/2 V diag(f(λ)) Vᵀ G^1/2`. */
  const spectral = (f: (lambda: number) => number): Float64Array => {
    const out = new Float64Array(count * count);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < count; j++) {
        let s = 0;
        for (let k = 0; k < count; k++)
          s += e.vectors[i * count + k]! * f(e.values[k]!) * e.vectors[j * count + k]!;
        out[i * count + j] = s;
      }
    }
    return multiply(multiply(invHalf, out, count), half, count);
  };
  let closure = 0;
  for (const x of e.values) closure += Math.abs(x) / count;
  return {
    matrix: spectral((l) => (l >= 0 ? 1 : -1)),
    own: spectral((l) => 1 / (1 + Math.min(1, Math.abs(l)))),
    closure,
  };
}

/** Replaces `a` (`n x n`) by `(a + aᵀ) / 2` in place: removes rounding from a matrix symmetric in theory. */
function symmetrize(a: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k++) {
    for (let l = k + 1; l < n; l++) {
      const s = (a[k * n + l]! + a[l * n + k]!) / 2;
      a[k * n + l] = s;
      a[l * n + k] = s;
    }
  }
  return a;
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k]!;
      if (x === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + x * b[k * n + j]!;
    }
  }
  return out;
}

/**
 * The horizontal mirror of a descriptor's motion — what a flipped camera shows of the same face:
 * expression coefficients through the model's expression mirror ({@link componentMirror}), rotation
 * (pitch, yaw, roll) -> (pitch, -yaw, -roll), translation x negated (it is relative to the frame's
 * centre). Identity, texture and lighting are copied unchanged: the mirror concerns how a face moves
 * (what avatars and expression read), not who it is. Built once per face model.
 */
export class DescriptorMirror {
  /** Expression mirror, `expressionCount x expressionCount` row-major, an involution. */
  readonly expression: Float64Array;
  /** Weights of a face's own view in {@link average} (`W` of {@link componentMirror}), row-major. */
  readonly expressionOwnWeight: Float64Array;
  /** Mean |eigenvalue| of the expression space's mirror (1: closed under mirroring). */
  readonly expressionClosure: number;
  readonly expressionCount: number;

  private constructor(expression: Float64Array, own: Float64Array, closure: number, count: number) {
    this.expression = expression;
    this.expressionOwnWeight = own;
    this.expressionClosure = closure;
    this.expressionCount = count;
  }

  /** Derives the mirror of `model`'s expression space (a few ms for 64 components of 468 vertices). */
  static fromModel(model: FaceModel): DescriptorMirror {
    const map = vertexMirrorMap(model.meanShape, model.vertexCount);
    const { matrix, own, closure } = componentMirror(
      model.expressionBasis,
      model.expressionCount,
      model.vertexCount,
      map,
    );
    return new DescriptorMirror(matrix, own, closure, model.expressionCount);
  }

  /** Writes the mirrored descriptor of `d` (257 values) into `out` (may not alias `d`). */
  mirror(d: ArrayLike<number>, out: Float32Array | Float64Array = new Float32Array(d.length)): typeof out {
    for (let i = 0; i < d.length; i++) out[i] = d[i]!;
    const e = DescriptorField.expression.start;
    const n = this.expressionCount;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += this.expression[i * n + k]! * d[e + k]!;
      out[e + i] = s;
    }
    for (let i = n; i < fieldLength('expression'); i++) out[e + i] = d[e + i]!;
    const r = DescriptorField.rotation.start;
    out[r + 1] = -d[r + 1]!;
    out[r + 2] = -d[r + 2]!;
    out[DescriptorField.translation.start] = -d[DescriptorField.translation.start]!;
    return out;
  }

  /**
   * The mirror-symmetric view of a face from two passes: `own` (the face in the frame) and `twin` (the
   * same face in the frame's mirror image). Rotation and translation become `(own + mirror(twin)) / 2`;
   * expression `W own + M W twin` (`W`: {@link expressionOwnWeight}, which halves where the expression
   * space is closed under mirroring and keeps the frame's own view where a mirrored face leaves it);
   * identity, texture and lighting are `own`'s. Swapping the two passes gives exactly the mirrored
   * result, `average(twin, own) = mirror(average(own, twin))` on the motion fields (to float32
   * rounding), whatever either pass got wrong.
   */
  average(own: Float32Array, twin: Float32Array, out = new Float32Array(own.length)): Float32Array {
    const mirrored = this.mirror(twin, new Float64Array(twin.length));
    out.set(own);
    for (const field of ['rotation', 'translation'] as const) {
      const { start, end } = DescriptorField[field];
      for (let i = start; i < end; i++) out[i] = (own[i]! + mirrored[i]!) / 2;
    }
    const e = DescriptorField.expression.start;
    const n = this.expressionCount;
    const w = this.expressionOwnWeight;
    const m = this.expression;
    const ownPart = new Float64Array(n);
    const twinPart = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let a = 0;
      let b = 0;
      for (let k = 0; k < n; k++) {
        a += w[i * n + k]! * own[e + k]!;
        b += w[i * n + k]! * twin[e + k]!;
      }
      ownPart[i] = a;
      twinPart[i] = b;
    }
    for (let i = 0; i < n; i++) {
      let s = ownPart[i]!;
      for (let k = 0; k < n; k++) s += m[i * n + k]! * twinPart[k]!;
      out[e + i] = s;
    }
    return out;
  }
}

/** The descriptor fields a mirror changes and {@link DescriptorMirror.average} averages. */
export const MOTION_FIELDS = Object.freeze(['expression', 'rotation', 'translation'] as const);
