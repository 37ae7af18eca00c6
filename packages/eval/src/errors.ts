/**
 * Errors of @semface/eval. Every error carries a stable `code` (documented in docs/errors.md).
 */
import { SemfaceError } from '@semface/protocol/errors';

/** Base class of every error thrown by @semface/eval. */
export class SemfaceEvalError extends SemfaceError {}

/** A descriptor cache (.npy + sidecar) needed by the evaluation is missing or malformed. */
export class DescriptorCacheError extends SemfaceEvalError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super('SEMFACE_ERR_EVAL_DESCRIPTOR_CACHE', `descriptor cache ${path}: ${reason}`);
  }
}

/** The evaluation dataset does not match its descriptors (no usable pair or item). */
export class EvalDatasetError extends SemfaceEvalError {
  constructor(
    readonly dataset: string,
    reason: string,
  ) {
    super('SEMFACE_ERR_EVAL_DATASET', `evaluation dataset ${dataset}: ${reason}`);
  }
}

/** An external image codec (ffmpeg) failed or is not installed. */
export class ImageCodecError extends SemfaceEvalError {
  constructor(
    readonly codec: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('SEMFACE_ERR_EVAL_IMAGE_CODEC', `image codec ${codec}: ${reason}`, options);
  }
}
