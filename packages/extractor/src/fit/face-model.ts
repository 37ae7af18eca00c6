import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescriptorField, fieldLength } from '@semface/codec-core';
import { FaceModelInvalidError, FaceModelNotFoundError } from '../errors.js';
import {
  FACE_MODEL_FILES,
  FACE_MODEL_FORMAT,
  FACE_MODEL_VERSION,
  FaceModelBlock,
  type FaceModelBlockInfo,
  type FaceModelBlockName,
  FaceModelDtype,
  type FaceModelHeader,
  type FaceModelLandmarks,
} from './face-model-format.js';

/** Directory of the face model shipped with the package (`packages/extractor/models/face-model`). */
export const DEFAULT_FACE_MODEL_DIR = fileURLToPath(new URL('../../models/face-model/', import.meta.url));

/** The arrays that make up a face model (see {@link FaceModelBlock} for their meaning). */
export interface FaceModelArrays {
  readonly vertexCount: number;
  readonly meanShape: Float32Array;
  readonly identityBasis: Float32Array;
  readonly expressionBasis: Float32Array;
  readonly meanAlbedo: Float32Array;
  readonly textureBasis: Float32Array;
  readonly triangles: Uint16Array;
  readonly landmarks: FaceModelLandmarks;
  readonly prior: FaceModelHeader['prior'];
  readonly training?: Record<string, unknown>;
}

/** A loaded, validated 3D morphable face model. */
export class FaceModel implements FaceModelArrays {
  readonly vertexCount: number;
  readonly meanShape: Float32Array;
  readonly identityBasis: Float32Array;
  readonly expressionBasis: Float32Array;
  readonly meanAlbedo: Float32Array;
  readonly textureBasis: Float32Array;
  readonly triangles: Uint16Array;
  readonly landmarks: FaceModelLandmarks;
  readonly prior: FaceModelHeader['prior'];
  readonly training: Record<string, unknown> | undefined;
  /** Number of identity / expression / texture components. */
  readonly identityCount: number;
  readonly expressionCount: number;
  readonly textureCount: number;
  /** SHA-256 of the blob the model was read from, when read from files. */
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
    for (const [name, a] of [
      ['meanShape', arrays.meanShape],
      ['meanAlbedo', arrays.meanAlbedo],
      ['identityBasis', arrays.identityBasis],
      ['expressionBasis', arrays.expressionBasis],
      ['textureBasis', arrays.textureBasis],
    ] as const) {
      for (const x of a)
        if (!Number.isFinite(x)) throw new FaceModelInvalidError(`${name} has non-finite values`);
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

  /** Reads `face-model.json` + `face-model.bin` from a directory (default: the packaged model). */
  static async load(dir: string = DEFAULT_FACE_MODEL_DIR): Promise<FaceModel> {
    const headerPath = join(dir, FACE_MODEL_FILES.header);
    const blobPath = join(dir, FACE_MODEL_FILES.blob);
    let headerText: string;
    let blob: Uint8Array;
    try {
      headerText = await readFile(headerPath, 'utf8');
      blob = await readFile(blobPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new FaceModelNotFoundError((err as NodeJS.ErrnoException).path ?? dir);
      }
      throw err;
    }
    let header: unknown;
    try {
      header = JSON.parse(headerText);
    } catch {
      throw new FaceModelInvalidError(`${headerPath} is not JSON`);
    }
    return FaceModel.decode(header, blob);
  }

  /** Builds a model from a parsed header and its blob, checking sizes and the checksum. */
  static decode(header: unknown, blob: Uint8Array): FaceModel {
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
    const sha256 = createHash('sha256').update(blob).digest('hex');
    if (sha256 !== h.blob.sha256) throw new FaceModelInvalidError('blob sha256 does not match the header');
    if (!Array.isArray(h.blocks)) throw new FaceModelInvalidError('header has no blocks');
    const read = (name: FaceModelBlockName): Float32Array | Uint16Array => {
      const info = h.blocks.find((b) => b.name === name);
      if (!info) throw new FaceModelInvalidError(`missing block ${name}`);
      if (info.dtype !== FaceModelBlock[name])
        throw new FaceModelInvalidError(`block ${name} has dtype ${info.dtype}`);
      const count = info.shape.reduce((a, b) => a * b, 1);
      const bytes = count * FaceModelDtype[info.dtype];
      if (!Number.isInteger(info.offset) || info.offset % 4 !== 0 || info.offset + bytes > blob.byteLength) {
        throw new FaceModelInvalidError(`block ${name} lies outside the blob`);
      }
      // Copy into aligned little-endian arrays regardless of the host's Buffer pooling.
      const view = new DataView(blob.buffer, blob.byteOffset + info.offset, bytes);
      if (info.dtype === 'float32') {
        const out = new Float32Array(count);
        for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
        return out;
      }
      const out = new Uint16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
      return out;
    };
    return new FaceModel(
      {
        vertexCount: h.vertexCount,
        meanShape: read('meanShape') as Float32Array,
        identityBasis: read('identityBasis') as Float32Array,
        expressionBasis: read('expressionBasis') as Float32Array,
        meanAlbedo: read('meanAlbedo') as Float32Array,
        textureBasis: read('textureBasis') as Float32Array,
        triangles: read('triangles') as Uint16Array,
        landmarks: h.landmarks,
        prior: h.prior,
        ...(h.training ? { training: h.training } : {}),
      },
      sha256,
    );
  }

  /** Serialises the model into a header and blob (the inverse of {@link FaceModel.decode}). */
  encode(): { header: FaceModelHeader; blob: Uint8Array } {
    const arrays: [FaceModelBlockName, Float32Array | Uint16Array, number[]][] = [
      ['meanShape', this.meanShape, [this.vertexCount, 3]],
      ['identityBasis', this.identityBasis, [this.identityCount, this.vertexCount * 3]],
      ['expressionBasis', this.expressionBasis, [this.expressionCount, this.vertexCount * 3]],
      ['meanAlbedo', this.meanAlbedo, [this.vertexCount, 3]],
      ['textureBasis', this.textureBasis, [this.textureCount, this.vertexCount * 3]],
      ['triangles', this.triangles, [this.triangles.length / 3, 3]],
    ];
    const blocks: FaceModelBlockInfo[] = [];
    let offset = 0;
    for (const [name, a, shape] of arrays) {
      blocks.push({ name, dtype: FaceModelBlock[name], shape, offset });
      offset += Math.ceil((a.length * FaceModelDtype[FaceModelBlock[name]]) / 4) * 4;
    }
    const blob = new Uint8Array(offset);
    const view = new DataView(blob.buffer);
    for (let b = 0; b < arrays.length; b++) {
      const [, a] = arrays[b] as (typeof arrays)[number];
      const o = (blocks[b] as FaceModelBlockInfo).offset;
      if (a instanceof Float32Array)
        for (let i = 0; i < a.length; i++) view.setFloat32(o + i * 4, a[i] as number, true);
      else for (let i = 0; i < a.length; i++) view.setUint16(o + i * 2, a[i] as number, true);
    }
    const header: FaceModelHeader = {
      format: FACE_MODEL_FORMAT,
      version: FACE_MODEL_VERSION,
      vertexCount: this.vertexCount,
      triangleCount: this.triangles.length / 3,
      components: {
        identity: this.identityCount,
        expression: this.expressionCount,
        texture: this.textureCount,
      },
      landmarks: this.landmarks,
      prior: this.prior,
      blocks,
      blob: { bytes: blob.byteLength, sha256: createHash('sha256').update(blob).digest('hex') },
      ...(this.training ? { training: this.training } : {}),
    };
    return { header, blob };
  }
}

/** Descriptor offsets of the model's coefficient groups (from the shared layout). */
export const COEFFICIENT_OFFSETS = {
  identity: DescriptorField.identity.start,
  expression: DescriptorField.expression.start,
  texture: DescriptorField.texture.start,
  rotation: DescriptorField.rotation.start,
  lighting: DescriptorField.lighting.start,
  translation: DescriptorField.translation.start,
} as const;
