import { fieldLength } from '@semface/codec-core/layout';
import { FaceModelInvalidError } from './errors.js';
import {
  FACE_MODEL_FORMAT,
  FACE_MODEL_VERSION,
  FaceModelBlock,
  type FaceModelBlockName,
  FaceModelDtype,
  type FaceModelHeader,
  type FaceModelLandmarks,
  type FaceModelPrior,
} from './format.js';
import { FACE_MODEL_SPEC } from './generated/format-spec.js';

/** The arrays that make up a face model (meanings: contracts/face-model-format.json). */
export interface FaceModelArrays {
  readonly vertexCount: number;
  readonly meanShape: Float32Array;
  readonly identityBasis: Float32Array;
  readonly expressionBasis: Float32Array;
  readonly meanAlbedo: Float32Array;
  readonly textureBasis: Float32Array;
  readonly triangles: Uint16Array;
  readonly landmarks: FaceModelLandmarks;
  readonly prior: FaceModelPrior;
  readonly training?: Record<string, unknown>;
}

/** A validated 3D morphable face model. */
export class FaceModel implements FaceModelArrays {
  readonly vertexCount: number;
  readonly meanShape: Float32Array;
  readonly identityBasis: Float32Array;
  readonly expressionBasis: Float32Array;
  readonly meanAlbedo: Float32Array;
  readonly textureBasis: Float32Array;
  readonly triangles: Uint16Array;
  readonly landmarks: FaceModelLandmarks;
  readonly prior: FaceModelPrior;
  readonly training: Record<string, unknown> | undefined;
  /** Number of identity / expression / texture components. */
  readonly identityCount: number;
  readonly expressionCount: number;
  readonly textureCount: number;
  /** SHA-256 of the blob the model was read from, when checked on reading. */
  readonly sha256: string | undefined;

  constructor(arrays: FaceModelArrays, sha256?: string) {
    const v = arrays.vertexCount;
    const d = v * 3;
    const need = (ok: boolean, what: string): void => {
      if (!ok) throw new FaceModelInvalidError(what);
    };
    need(Number.isInteger(v) && v >= 4 && v <= 65535, `vertexCount ${v}`);
    need(arrays.meanShape.length === d, 'meanShape length');
    need(arrays.meanAlbedo.length === d, 'meanAlbedo length');
    for (const [name, basis, slot] of [
      ['identityBasis', arrays.identityBasis, fieldLength('identity')],
      ['expressionBasis', arrays.expressionBasis, fieldLength('expression')],
      ['textureBasis', arrays.textureBasis, fieldLength('texture')],
    ] as const) {
      need(basis.length % d === 0 && basis.length / d <= slot, `${name} length ${basis.length}`);
    }
    need(arrays.triangles.length > 0 && arrays.triangles.length % 3 === 0, 'triangles length');
    for (const i of arrays.triangles) need(i < v, 'triangle index out of range');
    const { eyeRightOuter, eyeLeftOuter } = arrays.landmarks;
    need(
      Number.isInteger(eyeRightOuter) &&
        Number.isInteger(eyeLeftOuter) &&
        eyeRightOuter < v &&
        eyeLeftOuter < v,
      'landmarks',
    );
    const { shapeNoiseVariance, textureNoiseVariance } = arrays.prior;
    need(shapeNoiseVariance > 0 && textureNoiseVariance > 0, 'prior variances must be > 0');
    for (const name of [
      'meanShape',
      'meanAlbedo',
      'identityBasis',
      'expressionBasis',
      'textureBasis',
    ] as const) {
      for (const x of arrays[name]) need(Number.isFinite(x), `${name} has non-finite values`);
    }
    this.vertexCount = v;
    this.meanShape = arrays.meanShape;
    this.identityBasis = arrays.identityBasis;
    this.expressionBasis = arrays.expressionBasis;
    this.meanAlbedo = arrays.meanAlbedo;
    this.textureBasis = arrays.textureBasis;
    this.triangles = arrays.triangles;
    this.landmarks = arrays.landmarks;
    this.prior = arrays.prior;
    this.training = arrays.training;
    this.identityCount = arrays.identityBasis.length / d;
    this.expressionCount = arrays.expressionBasis.length / d;
    this.textureCount = arrays.textureBasis.length / d;
    this.sha256 = sha256;
  }

  /**
   * Builds a model from a parsed header and its blob, checking sizes, and the checksum when the blob's
   * SHA-256 (hex) is given (`@semface/face-model/node` computes it; a page may skip it).
   */
  static decode(header: unknown, blob: Uint8Array, sha256?: string): FaceModel {
    const h = header as FaceModelHeader;
    if (typeof h !== 'object' || h === null || h.format !== FACE_MODEL_FORMAT) {
      throw new FaceModelInvalidError(`header format is not ${FACE_MODEL_FORMAT}`);
    }
    if (h.version !== FACE_MODEL_VERSION)
      throw new FaceModelInvalidError(`unsupported version ${String(h.version)}`);
    if (!h.blob || blob.byteLength !== h.blob.bytes) {
      throw new FaceModelInvalidError(
        `blob is ${blob.byteLength} bytes, header says ${String(h.blob?.bytes)}`,
      );
    }
    if (sha256 !== undefined && sha256 !== h.blob.sha256)
      throw new FaceModelInvalidError('blob sha256 does not match the header');
    if (!Array.isArray(h.blocks)) throw new FaceModelInvalidError('header has no blocks');
    const read = (name: FaceModelBlockName): Float32Array | Uint16Array => {
      const info = h.blocks.find((b) => b.name === name);
      if (!info) throw new FaceModelInvalidError(`missing block ${name}`);
      if (info.dtype !== FaceModelBlock[name])
        throw new FaceModelInvalidError(`block ${name} has dtype ${info.dtype}`);
      const count = info.shape.reduce((a, b) => a * b, 1);
      const bytes = count * FaceModelDtype[info.dtype];
      const aligned = Number.isInteger(info.offset) && info.offset % FACE_MODEL_SPEC.alignment === 0;
      if (!aligned || info.offset + bytes > blob.byteLength) {
        throw new FaceModelInvalidError(`block ${name} lies outside the blob`);
      }
      // Copy into aligned little-endian arrays regardless of the host's Buffer pooling.
      const view = new DataView(blob.buffer, blob.byteOffset + info.offset, bytes);
      const f32 = info.dtype === 'float32';
      const out = f32 ? new Float32Array(count) : new Uint16Array(count);
      for (let i = 0; i < count; i++)
        out[i] = f32 ? view.getFloat32(i * 4, true) : view.getUint16(i * 2, true);
      return out;
    };
    const arrays = Object.fromEntries(FACE_MODEL_SPEC.blocks.map((b) => [b.name, read(b.name)]));
    return new FaceModel(
      {
        ...(arrays as Pick<FaceModelArrays, FaceModelBlockName>),
        vertexCount: h.vertexCount,
        landmarks: h.landmarks,
        prior: h.prior,
        ...(h.training ? { training: h.training } : {}),
      },
      sha256,
    );
  }

  /**
   * The header (less the blob's SHA-256, which `@semface/face-model/node` adds) and blob of the model:
   * the inverse of {@link FaceModel.decode}.
   */
  encode(): { header: Omit<FaceModelHeader, 'blob'> & { blob: { bytes: number } }; blob: Uint8Array } {
    const v = this.vertexCount;
    const rows = (a: Float32Array | Uint16Array, cols: number): number[] => [a.length / cols, cols];
    const blocks = FACE_MODEL_SPEC.blocks.map(({ name, dtype }) => {
      const a = this[name];
      return { name, dtype, a, shape: rows(a, name.endsWith('Basis') ? v * 3 : 3), offset: 0 };
    });
    const { alignment } = FACE_MODEL_SPEC;
    let offset = 0;
    for (const b of blocks) {
      b.offset = offset;
      offset += Math.ceil((b.a.length * FaceModelDtype[b.dtype]) / alignment) * alignment;
    }
    const blob = new Uint8Array(offset);
    const view = new DataView(blob.buffer);
    for (const { a, offset: o } of blocks) {
      if (a instanceof Float32Array) a.forEach((x, i) => view.setFloat32(o + i * 4, x, true));
      else a.forEach((x, i) => view.setUint16(o + i * 2, x, true));
    }
    const header = {
      format: FACE_MODEL_FORMAT,
      version: FACE_MODEL_VERSION,
      vertexCount: v,
      triangleCount: this.triangles.length / 3,
      components: {
        identity: this.identityCount,
        expression: this.expressionCount,
        texture: this.textureCount,
      },
      landmarks: this.landmarks,
      prior: this.prior,
      blocks: blocks.map(({ name, dtype, shape, offset }) => ({ name, dtype, shape, offset })),
      blob: { bytes: blob.byteLength },
      ...(this.training ? { training: this.training } : {}),
    };
    return { header, blob };
  }
}
