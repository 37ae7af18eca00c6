import { fileURLToPath } from 'node:url';
import { loadFaceModel } from '@semface/face-model/node';
import { describe, expect, it } from 'vitest';
import { RigModelError } from '../errors.js';
import { FaceRigModel, defaultFaceRigModel } from './face-rig-model.js';
import { FACE_RIG_DATA } from './generated/face-rig-data.js';
import { RIG_VERTICES } from './landmarks.js';

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

  it('rebuilds the same vertices as the full model (mean + expression basis)', () => {
    const rig = defaultFaceRigModel();
    const d = new Float32Array(257);
    for (let k = 0; k < 64; k++) d[80 + k] = Math.sin(k);
    const shape = rig.shape(d);
    const v = 13;
    for (let c = 0; c < 3; c++) {
      let x = full.meanShape[v * 3 + c]!;
      for (let k = 0; k < 64; k++) x += d[80 + k]! * full.expressionBasis[k * 1404 + v * 3 + c]!;
      expect(shape[rig.row(v) * 3 + c]).toBeCloseTo(x, 5);
    }
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
