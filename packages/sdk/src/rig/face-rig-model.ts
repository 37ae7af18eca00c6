import { DESCRIPTOR_LENGTH, DescriptorField, fieldLength } from '@semface/codec-core/layout';
import { DescriptorMirror, type FaceModel, mirrorPoints } from '@semface/face-model';
import { RigModelError } from '../errors.js';
import { FACE_RIG_DATA } from './generated/face-rig-data.js';
import { RIG_VERTICES } from './landmarks.js';
import { mirrorPartners } from './mirror.js';

/**
 * The rows of the face model at the vertices the rig measures ({@link RIG_VERTICES}): enough to rebuild
 * those vertices' canonical positions from a descriptor's expression coefficients (`mean + Σ c_k B_k`),
 * ~40 vertices instead of 468. Identity coefficients are left out on purpose: the `expression` stream
 * profile (the one for animation) does not carry them, so the rig gives the same weights with or
 * without identity in the stream.
 */
export class FaceRigModel {
  /** Mesh vertex indices of the rows, sorted. */
  readonly vertices: readonly number[];
  /** `vertices.length * 3` canonical mean positions (model units: outer eye corners 1 apart). */
  readonly mean: Float32Array;
  /** `expressionCount` rows of `vertices.length * 3`. */
  readonly basis: Float32Array;
  readonly expressionCount: number;
  private readonly rowOf: Map<number, number>;

  constructor(vertices: readonly number[], mean: Float32Array, basis: Float32Array) {
    const d = vertices.length * 3;
    if (d === 0 || mean.length !== d || basis.length % d !== 0) {
      throw new RigModelError(
        `rig model: ${vertices.length} vertices, mean ${mean.length}, basis ${basis.length}`,
      );
    }
    const count = basis.length / d;
    if (count > fieldLength('expression')) {
      throw new RigModelError(
        `rig model: ${count} expression rows, the descriptor has ${fieldLength('expression')}`,
      );
    }
    for (const a of [mean, basis]) {
      for (const x of a) if (!Number.isFinite(x)) throw new RigModelError('rig model: non-finite values');
    }
    this.vertices = Object.freeze([...vertices]);
    this.mean = mean;
    this.basis = basis;
    this.expressionCount = count;
    this.rowOf = new Map(vertices.map((v, i) => [v, i]));
  }

  /**
   * The rig's rows (mean shape, expression basis) of a full face model (`@semface/face-model`), made
   * mirror-symmetric: `mean + B c` becomes the average of the model's face and the mirror image of the
   * model's face for the mirrored coefficients, `(S(c) + P S(M c)) / 2` (`P`: x negated, left/right
   * partners swapped; `M`: the model's expression mirror, {@link DescriptorMirror}). Why: the learned
   * expression basis is not closed under mirroring, so the mirrored descriptor alone does not rebuild the
   * mirrored face; with these rows `shape(mirror(d))` is exactly `mirror(shape(d))`, and a mirrored face
   * gives exactly swapped Left/Right weights. The rows differ from the model's own by what of a face
   * its mirror cannot represent (docs/avatars.md, "Mirror").
   */
  static fromFaceModel(model: FaceModel, vertices: readonly number[] = RIG_VERTICES): FaceRigModel {
    for (const v of vertices) {
      if (!Number.isInteger(v) || v < 0 || v >= model.vertexCount) {
        throw new RigModelError(`face model has no vertex ${v} (${model.vertexCount} vertices)`);
      }
    }
    const full = model.vertexCount * 3;
    const count = model.expressionCount;
    const d = vertices.length * 3;
    const mean = new Float64Array(d);
    const basis = new Float64Array(count * d);
    vertices.forEach((v, i) => {
      for (let c = 0; c < 3; c++) {
        mean[i * 3 + c] = model.meanShape[v * 3 + c]!;
        for (let k = 0; k < count; k++)
          basis[k * d + i * 3 + c] = model.expressionBasis[k * full + v * 3 + c]!;
      }
    });
    const partners = mirrorPartners(mean);
    const mirror = DescriptorMirror.fromModel(model).expression;
    const symMean = new Float32Array(d);
    const symBasis = new Float32Array(count * d);
    const mirrored = new Float64Array(d);
    /** `out[at..] = (own + mirror(other)) / 2` for one `d`-long row. */
    const half = (own: Float64Array, other: Float64Array, out: Float32Array, at: number): void => {
      mirrorPoints(other, partners, mirrored);
      for (let j = 0; j < d; j++) out[at + j] = (own[j]! + mirrored[j]!) / 2;
    };
    half(mean, mean, symMean, 0);
    const combined = new Float64Array(d);
    for (let k = 0; k < count; k++) {
      // Column k of B M: the face that coefficient k of the mirrored descriptor contributes.
      combined.fill(0);
      for (let l = 0; l < count; l++) {
        const m = mirror[l * count + k]!;
        if (m === 0) continue;
        for (let j = 0; j < d; j++) combined[j] = combined[j]! + m * basis[l * d + j]!;
      }
      half(basis.subarray(k * d, (k + 1) * d), combined, symBasis, k * d);
    }
    return new FaceRigModel(vertices, symMean, symBasis);
  }

  /** Row of mesh vertex `v` in {@link vertices}; throws for a vertex the model does not keep. */
  row(v: number): number {
    const r = this.rowOf.get(v);
    if (r === undefined) throw new RigModelError(`rig model keeps no row for vertex ${v}`);
    return r;
  }

  /**
   * Canonical positions of the kept vertices for a descriptor (only its expression coefficients are
   * read): `vertices.length * 3`, model units.
   */
  shape(descriptor: Float32Array, out = new Float64Array(this.mean.length)): Float64Array {
    if (descriptor.length !== DESCRIPTOR_LENGTH) {
      throw new RangeError(`expected ${DESCRIPTOR_LENGTH} descriptor values, got ${descriptor.length}`);
    }
    const d = this.mean.length;
    for (let i = 0; i < d; i++) out[i] = this.mean[i]!;
    const e0 = DescriptorField.expression.start;
    for (let k = 0; k < this.expressionCount; k++) {
      const c = descriptor[e0 + k]!;
      if (c === 0) continue;
      const o = k * d;
      for (let i = 0; i < d; i++) out[i] = out[i]! + c * this.basis[o + i]!;
    }
    return out;
  }
}

function decodeFloat32(base64: string): Float32Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

let defaultModel: FaceRigModel | undefined;

/**
 * The rig rows of the face model the extractor ships (packages/extractor/models/face-model), embedded in
 * the SDK (generated by scripts/build-face-rig-data.mjs; `FACE_RIG_DATA.faceModelSha256` names the
 * model), so receivers need no face-model files. Built once.
 */
export function defaultFaceRigModel(): FaceRigModel {
  defaultModel ??= new FaceRigModel(
    FACE_RIG_DATA.vertices,
    decodeFloat32(FACE_RIG_DATA.mean),
    decodeFloat32(FACE_RIG_DATA.basis),
  );
  return defaultModel;
}
