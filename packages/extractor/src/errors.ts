/**
 * Errors of @semface/extractor. Every error carries a stable `code` (documented in docs/errors.md)
 * so callers and batch summaries can branch on it without parsing messages.
 */
import { SemfaceError } from '@semface/protocol/errors';

/** Base class of every error thrown by @semface/extractor. */
export class ExtractorError extends SemfaceError {}

// --- inputs and outputs (input/, output/) ---

/** A file or directory given as input does not exist. */
export class InputNotFoundError extends ExtractorError {
  constructor(
    /** The path that was not found. */
    readonly path: string,
  ) {
    super('SEMFACE_ERR_INPUT_NOT_FOUND', `input not found: ${path}`);
  }
}

/** An input path exists but is not an image, a video or a directory the extractor can read. */
export class UnsupportedInputError extends ExtractorError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super('SEMFACE_ERR_UNSUPPORTED_INPUT', `unsupported input ${path}: ${reason}`);
  }
}

/** An image file could not be decoded (corrupt, truncated or not an image). */
export class ImageUnreadableError extends ExtractorError {
  constructor(
    readonly path: string,
    cause?: unknown,
  ) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    super('SEMFACE_ERR_IMAGE_UNREADABLE', `cannot decode image ${path}${detail}`, { cause });
  }
}

/** An image has more pixels than the configured `maxPixels`. */
export class ImageTooLargeError extends ExtractorError {
  constructor(
    readonly path: string,
    readonly pixels: number,
    readonly maxPixels: number,
  ) {
    super(
      'SEMFACE_ERR_IMAGE_TOO_LARGE',
      `image ${path} has ${pixels} pixels, more than maxPixels=${maxPixels}`,
    );
  }
}

/** A raw RGBA frame has inconsistent width, height or data length. */
export class InvalidFrameError extends ExtractorError {
  constructor(message: string) {
    super('SEMFACE_ERR_INVALID_FRAME', message);
  }
}

/** The ffmpeg or ffprobe binary needed to read videos is not installed. */
export class FfmpegMissingError extends ExtractorError {
  constructor(readonly binary: string) {
    super(
      'SEMFACE_ERR_FFMPEG_MISSING',
      `${binary} not found: install ffmpeg (e.g. apt-get install ffmpeg) or set SEMFACE_FFMPEG / SEMFACE_FFPROBE`,
    );
  }
}

/** A video could not be opened or decoded at all, or failed mid-stream with a decode error. */
export class VideoUnreadableError extends ExtractorError {
  constructor(
    readonly path: string,
    detail: string,
    /** Frames delivered before the failure. */
    readonly framesRead = 0,
  ) {
    super('SEMFACE_ERR_VIDEO_UNREADABLE', `cannot read video ${path}: ${detail}`);
  }
}

/** A video ended before the frame count its header announced (truncated file). */
export class VideoTruncatedError extends ExtractorError {
  constructor(
    readonly path: string,
    /** Frames delivered before the stream ended. */
    readonly framesRead: number,
    /** Frames the header announced. */
    readonly framesExpected: number,
    detail = '',
  ) {
    super(
      'SEMFACE_ERR_VIDEO_TRUNCATED',
      `video ${path} is truncated: ${framesRead} of ${framesExpected} frames decoded${detail ? ` (${detail})` : ''}`,
    );
  }
}

/** A dataset list file (LFW pairs/people, class folders) is missing or malformed. */
export class DatasetFormatError extends ExtractorError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super('SEMFACE_ERR_DATASET_FORMAT', `bad dataset file ${path}: ${detail}`);
  }
}

/** A `.npy` file is not a valid little-endian float32 2-D NumPy array, or its length is wrong. */
export class NpyInvalidError extends ExtractorError {
  constructor(detail: string) {
    super('SEMFACE_ERR_NPY_INVALID', `invalid .npy: ${detail}`);
  }
}

// --- face model and fitting (fit/) ---

// The face-model errors are @semface/face-model's (it reads the files); FaceFitter.load throws them.
export { FaceModelInvalidError, FaceModelNotFoundError } from '@semface/face-model';

/** A detected face mesh cannot be fitted (too few points, wrong length, non-finite or degenerate). */
export class InvalidMeshError extends ExtractorError {
  constructor(detail: string) {
    super('SEMFACE_ERR_INVALID_MESH', `invalid face mesh: ${detail}`);
  }
}

/** A descriptor has the wrong length or non-finite values. */
export class InvalidDescriptorError extends ExtractorError {
  constructor(detail: string) {
    super('SEMFACE_ERR_INVALID_DESCRIPTOR', `invalid descriptor: ${detail}`);
  }
}

// --- detection and face mesh (detect/, mesh/, models/) ---

/** No face was found in a frame (the pipeline raises this when the detector returns nothing). */
export class NoFaceError extends ExtractorError {
  constructor(detail = 'no face found') {
    super('SEMFACE_ERR_NO_FACE', detail);
  }
}

/** An ONNX model file is missing, unreadable or not the model the extractor expects. */
export class ModelLoadError extends ExtractorError {
  constructor(
    /** Path of the model file. */
    readonly path: string,
    detail: string,
    cause?: unknown,
  ) {
    super('SEMFACE_ERR_MODEL_LOAD', `cannot load model ${path}: ${detail}`, { cause });
  }
}

// --- face embedding (embed/) ---

/** A face box to embed lies entirely outside the frame (nothing to crop). */
export class FaceCropEmptyError extends ExtractorError {
  constructor(
    /** The box, in source pixels. */
    readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
    frameWidth: number,
    frameHeight: number,
  ) {
    super(
      'SEMFACE_ERR_FACE_CROP_EMPTY',
      `face box ${JSON.stringify(box)} has no pixels inside the ${frameWidth}x${frameHeight} frame`,
    );
  }
}
