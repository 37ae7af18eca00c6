import { fileURLToPath } from 'node:url';

/**
 * The ONNX files shipped in `packages/extractor/models/` (converted by training/convert/convert_human.py;
 * checksums in models/models.json).
 */
export const MODEL_FILES = {
  /** BlazeFace short-range detector, 256x256 RGB in [-1, 1]. */
  detector: 'blazeface.onnx',
  /** MediaPipe face mesh, 192x192 RGB in [0, 1] -> 468 x (x, y, z) + face flag. */
  mesh: 'facemesh.onnx',
  /** MediaPipe iris, 64x64 RGB in [0, 1] -> 71 eye-contour + 5 iris points. */
  iris: 'iris.onnx',
} as const;

/** Which of the shipped models a file is. */
export type ModelKind = keyof typeof MODEL_FILES;

/**
 * Directory holding the shipped models. Resolved from this module's location, which is
 * `src/models/` in tests and `dist/models/` when built: both sit two levels below the package root.
 */
export const DEFAULT_MODEL_DIR: string = fileURLToPath(new URL('../../models/', import.meta.url));
