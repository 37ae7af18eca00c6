import { DescriptorField, fieldLength } from '@semface/codec-core/layout';
import { BrowserDecodeError } from '../errors.js';

/** The arrays of the extractor's face model (`face-model.json` + `face-model.bin`) a mesh is rebuilt from. */
export interface FaceModelData {
  readonly vertexCount: number;
  /** `V * 3`. */
  readonly meanShape: Float32Array;
  /** `identityCount` rows of `V * 3`. */
  readonly identityBasis: Float32Array;
  readonly identityCount: number;
  readonly expressionBasis: Float32Array;
  readonly expressionCount: number;
  /** `V * 3` linear RGB in [0, 1]. */
  readonly meanAlbedo: Float32Array;
  readonly textureBasis: Float32Array;
  readonly textureCount: number;
  /** Triangle vertex indices, 3 per triangle. */
  readonly triangles: Uint16Array | Uint32Array;
}

interface BlockJson {
  readonly name: string;
  readonly dtype: 'float32' | 'uint16' | 'uint32';
  readonly shape: readonly number[];
  readonly offset: number;
}

const BYTES = { float32: 4, uint16: 2, uint32: 4 } as const;

/**
 * Parses the extractor's face model format (`semface-face-model` v1: a JSON header with typed blocks
 * into one binary blob), without Node APIs, so a page can `fetch` the two files.
 */
export function parseFaceModel(json: unknown, blob: Uint8Array): FaceModelData {
  const h = json as { format?: unknown; version?: unknown; vertexCount?: unknown; blocks?: unknown } | null;
  if (h?.format !== 'semface-face-model' || h.version !== 1 || !Array.isArray(h.blocks)) {
    throw new BrowserDecodeError('face model: not a semface-face-model v1 header');
  }
  const v = h.vertexCount as number;
  const blocks = new Map((h.blocks as BlockJson[]).map((b) => [b.name, b]));
  const read = (name: string) => {
    const b = blocks.get(name);
    if (!b || !(b.dtype in BYTES)) throw new BrowserDecodeError(`face model: block ${name} missing`);
    const count = b.shape.reduce((a, n) => a * n, 1);
    const bytes = count * BYTES[b.dtype];
    if (b.offset < 0 || b.offset + bytes > blob.length)
      throw new BrowserDecodeError(`face model: block ${name} runs past the blob`);
    // Copy: the blob offsets need not be aligned for typed-array views.
    const copy = new Uint8Array(blob.subarray(b.offset, b.offset + bytes)).buffer;
    if (b.dtype === 'float32') return new Float32Array(copy);
    return b.dtype === 'uint16' ? new Uint16Array(copy) : new Uint32Array(copy);
  };
  const f32 = (name: string) => read(name) as Float32Array;
  const d = v * 3;
  const model: FaceModelData = {
    vertexCount: v,
    meanShape: f32('meanShape'),
    identityBasis: f32('identityBasis'),
    identityCount: f32('identityBasis').length / d,
    expressionBasis: f32('expressionBasis'),
    expressionCount: f32('expressionBasis').length / d,
    meanAlbedo: f32('meanAlbedo'),
    textureBasis: f32('textureBasis'),
    textureCount: f32('textureBasis').length / d,
    triangles: read('triangles') as Uint16Array | Uint32Array,
  };
  if (
    model.meanShape.length !== d ||
    model.meanAlbedo.length !== d ||
    model.identityCount > fieldLength('identity') ||
    model.expressionCount > fieldLength('expression') ||
    model.textureCount > fieldLength('texture') ||
    DescriptorField.identity.start < 0
  ) {
    throw new BrowserDecodeError('face model: block sizes do not match the descriptor layout');
  }
  return model;
}
