import { fileURLToPath } from 'node:url';
import { DescriptorMirror, vertexMirrorMap } from '@semface/face-model';
import { loadFaceModel } from '@semface/face-model/node';
import { describe, expect, it } from 'vitest';
import { RigModelError } from '../errors.js';
import { FaceRigModel, defaultFaceRigModel } from './face-rig-model.js';
import { FACE_RIG_DATA } from './generated/face-rig-data.js';
import { RIG_VERTICES } from './landmarks.js';
import { mirrorRigShape } from './mirror.js';

/** The extractor's shipped face model. */
const full = await loadFaceModel(
  fileURLToPath(new URL('../../../extractor/models/face-model/', import.meta.url)),
);

describe('FaceRigModel', () => {
  it('the embedded rig rows are those of the shipped face model (else rerun scripts/build-face-rig-data.mjs)', () => {
    expect(FACE_RIG_DATA.faceModelSha256).toBe(full.sha256);
    const fromModel = FaceRigModel.fromFaceModel(full);
    const embedded = defaultFaceRigModel();
    expect(embedded.vertices).toEqual(RIG_VERTICES);
    expect(embedded.expressionCount).toBe(fromModel.expressionCount);
    expect(Array.from(embedded.mean)).toEqual(Array.from(fromModel.mean));
    expect(Array.from(embedded.basis)).toEqual(Array.from(fromModel.basis));
  });

  it("rebuilds each vertex as the face averaged with the mirror of the mirrored descriptor's face", () => {
    const rig = defaultFaceRigModel();
    const mirror = DescriptorMirror.fromModel(full);
    const partners = vertexMirrorMap(full.meanShape, full.vertexCount);
    const d = new Float32Array(257);
    for (let k = 0; k < 64; k++) d[80 + k] = Math.sin(k);
    const m = mirror.mirror(d);
    /** The full model's vertex `v` for descriptor `x`. */
    const at = (x: Float32Array, v: number, c: number): number => {
      let s = full.meanShape[v * 3 + c]!;
      for (let k = 0; k < 64; k++) s += x[80 + k]! * full.expressionBasis[k * 1404 + v * 3 + c]!;
      return s;
    };
    const shape = rig.shape(d);
    for (const v of [13, 33, 263, 61]) {
      const p = partners[v]!;
      const expected = [
        (at(d, v, 0) - at(m, p, 0)) / 2,
        (at(d, v, 1) + at(m, p, 1)) / 2,
        (at(d, v, 2) + at(m, p, 2)) / 2,
      ];
      for (let c = 0; c < 3; c++) expect(shape[rig.row(v) * 3 + c]).toBeCloseTo(expected[c]!, 4);
    }
  });

  it('the shape of a mirrored descriptor is the mirrored shape, exactly', () => {
    const rig = defaultFaceRigModel();
    const mirror = DescriptorMirror.fromModel(full);
    const d = new Float32Array(257);
    for (let k = 0; k < 64; k++) d[80 + k] = 2 * Math.cos(3 * k);
    const a = mirrorRigShape(rig, rig.shape(d));
    const b = rig.shape(mirror.mirror(d));
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
    expect(max).toBeLessThan(1e-5);
    // Why the rows are symmetrised: the model's expression basis is not closed under mirroring.
    expect(mirror.expressionClosure).toBeLessThan(0.95);
  });

  it('refuses inconsistent models with a coded error', () => {
    expect(() => new FaceRigModel([1, 2], new Float32Array(5), new Float32Array(0))).toThrow(RigModelError);
    try {
      FaceRigModel.fromFaceModel(full, [500]);
      expect.unreachable();
    } catch (err) {
      expect((err as RigModelError).code).toBe('SEMFACE_ERR_SDK_RIG_MODEL_INVALID');
    }
    expect(() => defaultFaceRigModel().row(400)).toThrow(RigModelError);
  });
});
