/** Errors of @semface/face-model; every error carries a stable `code` (docs/errors.md). */
import { SemfaceError } from '@semface/protocol/errors';

/** Base class of every error thrown by @semface/face-model. */
export class FaceModelError extends SemfaceError {}

/** The face-model files (`face-model.json` + `face-model.bin`) are missing. */
export class FaceModelNotFoundError extends FaceModelError {
  constructor(
    /** The path that was not found. */
    readonly path: string,
  ) {
    super('SEMFACE_ERR_FACE_MODEL_NOT_FOUND', `face model not found: ${path}`);
  }
}

/** The face-model files exist but are malformed (bad header, wrong sizes, checksum mismatch). */
export class FaceModelInvalidError extends FaceModelError {
  constructor(detail: string) {
    super('SEMFACE_ERR_FACE_MODEL_INVALID', `invalid face model: ${detail}`);
  }
}
