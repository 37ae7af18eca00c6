import { fileURLToPath } from 'node:url';
import { DescriptorField } from '@semface/codec-core/layout';
import { describe, expect, it } from 'vitest';
import {
  DescriptorMirror,
  MOTION_FIELDS,
  componentMirror,
  symmetricEigen,
  vertexMirrorMap,
} from './mirror.js';
import { loadFaceModel } from './node.js';

const shipped = await loadFaceModel(
  fileURLToPath(new URL('../../extractor/models/face-model/', import.meta.url)),
);

/** Four vertices in two mirror pairs: (±1, 0, 0) and (±2, 1, 0.5). */
const PAIRS = Float32Array.from([-1, 0, 0, 1, 0, 0, -2, 1, 0.5, 2, 1, 0.5]);

describe('symmetricEigen', () => {
  it('decomposes a symmetric matrix into orthonormal eigenvectors', () => {
    const n = 7;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Math.sin(i * 3 + j);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rebuilt = 0;
        let dot = 0;
        for (let k = 0; k < n; k++) {
          rebuilt += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
          dot += vectors[k * n + i]! * vectors[k * n + j]!;
        }
        expect(rebuilt).toBeCloseTo(a[i * n + j]!, 10);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });
});

describe('componentMirror', () => {
  it('finds the exact mirror of a basis closed under mirroring (a symmetric and an antisymmetric part)', () => {
    const map = vertexMirrorMap(PAIRS, 4);
    expect(Array.from(map)).toEqual([1, 0, 3, 2]);
    // Component 0 moves both pairs up (symmetric), component 1 moves the left vertices up and the
    // right ones down (antisymmetric); mixed with unequal weights so the map is not diagonal.
    const sym = [0, 1, 0, 0, 1, 0, 0, 2, 0, 0, 2, 0];
    const anti = [0, 1, 0, 0, -1, 0, 0, 2, 0, 0, -2, 0];
    const basis = Float32Array.from([
      ...sym.map((s, i) => s + 0.5 * anti[i]!),
      ...anti.map((a, i) => a - sym[i]!),
    ]);
    const { matrix, own, closure } = componentMirror(basis, 2, 4, map);
    expect(closure).toBeCloseTo(1, 10);
    // Closed: the two views weigh the same.
    for (let i = 0; i < 4; i++) expect(own[i]).toBeCloseTo(i % 3 === 0 ? 0.5 : 0, 10);
    // Mirror each component's displacement and compare with the basis combination of its mirror.
    for (let k = 0; k < 2; k++) {
      for (let i = 0; i < 4; i++) {
        for (let c = 0; c < 3; c++) {
          const mirrored = (c === 0 ? -1 : 1) * basis[k * 12 + map[i]! * 3 + c]!;
          const combined =
            matrix[0 * 2 + k]! * basis[i * 3 + c]! + matrix[1 * 2 + k]! * basis[12 + i * 3 + c]!;
          expect(combined).toBeCloseTo(mirrored, 6);
        }
      }
    }
  });

  it('is an involution for the shipped model, whose learned basis is not closed', () => {
    const m = DescriptorMirror.fromModel(shipped);
    const n = m.expressionCount;
    let err = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += m.expression[i * n + k]! * m.expression[k * n + j]!;
        err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(err).toBeLessThan(1e-9);
    // A twin whose fit is the least-squares mirror of the face gives the face back through average().
    const n3 = shipped.vertexCount * 3;
    const c = Array.from({ length: n }, (_, k) => Math.sin(2 * k + 1));
    const partners = vertexMirrorMap(shipped.meanShape, shipped.vertexCount);
    const face = new Float64Array(n3);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n3; j++) face[j] = face[j]! + c[k]! * shipped.expressionBasis[k * n3 + j]!;
    const mirroredFace = new Float64Array(n3);
    for (let i = 0; i < shipped.vertexCount; i++) {
      const p = partners[i]!;
      mirroredFace[i * 3] = -face[p * 3]!;
      mirroredFace[i * 3 + 1] = face[p * 3 + 1]!;
      mirroredFace[i * 3 + 2] = face[p * 3 + 2]!;
    }
    const twin = new Float32Array(257);
    twin.set(leastSquares(shipped.expressionBasis, n, n3, mirroredFace), 80);
    const own = new Float32Array(257);
    own.set(c, 80);
    const merged = m.average(own, twin);
    for (let k = 0; k < n; k++) expect(merged[80 + k]).toBeCloseTo(c[k]!, 3);
    expect(m.expressionClosure).toBeGreaterThan(0.5);
    expect(m.expressionClosure).toBeLessThan(0.95);
  });
});

/** Coefficients of `basis` (`n` rows of `d`) nearest `target`, by normal equations (Gauss-Jordan). */
function leastSquares(basis: Float32Array, n: number, d: number, target: Float64Array): Float64Array {
  const a = new Float64Array(n * (n + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += basis[i * d + k]! * basis[j * d + k]!;
      a[i * (n + 1) + j] = s;
    }
    let t = 0;
    for (let k = 0; k < d; k++) t += basis[i * d + k]! * target[k]!;
    a[i * (n + 1) + n] = t;
  }
  for (let col = 0; col < n; col++) {
    const pivot = a[col * (n + 1) + col]!;
    for (let j = col; j <= n; j++) a[col * (n + 1) + j] = a[col * (n + 1) + j]! / pivot;
    for (let i = 0; i < n; i++) {
      if (i === col) continue;
      const f = a[i * (n + 1) + col]!;
      for (let j = col; j <= n; j++) a[i * (n + 1) + j] = a[i * (n + 1) + j]! - f * a[col * (n + 1) + j]!;
    }
  }
  return Float64Array.from({ length: n }, (_, i) => a[i * (n + 1) + n]!);
}

describe('DescriptorMirror', () => {
  const mirror = DescriptorMirror.fromModel(shipped);
  const d = Float32Array.from({ length: 257 }, (_, i) => Math.sin(i * 0.7));
  const e = Float32Array.from({ length: 257 }, (_, i) => Math.cos(i * 1.3));

  it('negates yaw, roll and x, mirrors the expression, copies identity, texture and light', () => {
    const m = mirror.mirror(d);
    const r = DescriptorField.rotation.start;
    const t = DescriptorField.translation.start;
    expect([m[r], m[r + 1], m[r + 2]]).toEqual([d[r], -d[r + 1]!, -d[r + 2]!]);
    expect([m[t], m[t + 1], m[t + 2]]).toEqual([-d[t]!, d[t + 1], d[t + 2]]);
    for (const f of ['identity', 'texture', 'lighting'] as const) {
      const { start, end } = DescriptorField[f];
      expect(m.subarray(start, end)).toEqual(d.subarray(start, end));
    }
    const back = mirror.mirror(m);
    for (let i = 0; i < 257; i++) expect(back[i]).toBeCloseTo(d[i]!, 4);
  });

  it('averages two passes so that swapping them mirrors the result', () => {
    const ab = mirror.average(d, e);
    const ba = mirror.average(e, d);
    const m = mirror.mirror(ab);
    for (const f of MOTION_FIELDS) {
      const { start, end } = DescriptorField[f];
      for (let i = start; i < end; i++) expect(ba[i]).toBeCloseTo(m[i]!, 5);
    }
    const id = DescriptorField.identity;
    expect(ab.subarray(id.start, id.end)).toEqual(d.subarray(id.start, id.end));
  });
});
