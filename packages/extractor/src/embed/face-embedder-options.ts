import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../models/model-files.js';

/** File name of the face recognition model in the package's `models/`. */
export const FACE_RECOGNITION_MODEL_FILE = 'face-recognition.onnx';

/** Options of {@link FaceEmbedder.create}. */
export interface FaceEmbedderOptions {
  /** Path of face-recognition.onnx. Default: the one shipped in the package's `models/`. */
  readonly modelPath: string;
  /** onnxruntime threads per operator, integer in [1, 256]. Default 1. */
  readonly intraOpNumThreads: number;
  /** Most faces per inference call in the batch methods (larger inputs are split), integer in [1, 256]. Default 16. */
  readonly maxBatch: number;
}

/** Defaults of {@link FaceEmbedderOptions}. */
export const FACE_EMBEDDER_DEFAULTS: Readonly<FaceEmbedderOptions> = Object.freeze({
  modelPath: join(DEFAULT_MODEL_DIR, FACE_RECOGNITION_MODEL_FILE),
  intraOpNumThreads: 1,
  maxBatch: 16,
});

/**
 * Merges user options over the defaults and validates them once.
 * @throws TypeError for wrong types, RangeError for out-of-range values.
 */
export function resolveFaceEmbedderOptions(
  options: Partial<FaceEmbedderOptions> = {},
): Readonly<FaceEmbedderOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...FACE_EMBEDDER_DEFAULTS, ...given } as FaceEmbedderOptions;
  if (typeof o.modelPath !== 'string' || o.modelPath.length === 0) {
    throw new TypeError('modelPath must be a non-empty string');
  }
  integerIn('intraOpNumThreads', o.intraOpNumThreads, 1, 256);
  integerIn('maxBatch', o.maxBatch, 1, 256);
  return Object.freeze(o);
}

function integerIn(name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${name} must be a number`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
}
