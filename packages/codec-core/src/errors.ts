/**
 * Errors thrown by codec-core. Every error carries a stable `code`; decoders throw only
 * {@link CodecError} subclasses for malformed input, never a bare `Error` or `RangeError`.
 */
import { SemfaceError } from '@semface/protocol/errors';

/** Stable error codes of codec-core, documented in docs/errors.md. */
export const CodecErrorCode = {
  bitstreamTruncated: 'SEMFACE_ERR_BITSTREAM_TRUNCATED',
  badMagic: 'SEMFACE_ERR_BAD_MAGIC',
  unsupportedVersion: 'SEMFACE_ERR_UNSUPPORTED_VERSION',
  unknownModelId: 'SEMFACE_ERR_UNKNOWN_MODEL_ID',
  crcMismatch: 'SEMFACE_ERR_CRC_MISMATCH',
  corruptPayload: 'SEMFACE_ERR_CORRUPT_PAYLOAD',
  invalidHeader: 'SEMFACE_ERR_INVALID_HEADER',
  invalidDescriptor: 'SEMFACE_ERR_INVALID_DESCRIPTOR',
  invalidModel: 'SEMFACE_ERR_INVALID_MODEL',
  streamOrder: 'SEMFACE_ERR_STREAM_ORDER',
} as const;

/** One codec-core error code. */
export type CodecErrorCodeValue = (typeof CodecErrorCode)[keyof typeof CodecErrorCode];

/** Base class of every codec-core error. */
export class CodecError extends SemfaceError {
  declare readonly code: CodecErrorCodeValue;
  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this package's codes
  constructor(code: CodecErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The input ended before a header, length or payload was complete. */
export class BitstreamTruncatedError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.bitstreamTruncated, message);
  }
}

/** The input does not start with the expected magic / sync bytes. */
export class BadMagicError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.badMagic, message);
  }
}

/** The format version is not one this build can read. */
export class UnsupportedVersionError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.unsupportedVersion, message);
  }
}

/** The stream names a model id that is not in the loaded manifest. */
export class UnknownModelIdError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.unknownModelId, message);
  }
}

/** The CRC-32 stored in the stream does not match the bytes it covers. */
export class CrcMismatchError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.crcMismatch, message);
  }
}

/** An entropy-coded payload is inconsistent (bad code, wrong end state, overflow). */
export class CorruptPayloadError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.corruptPayload, message);
  }
}

/** A header field holds a value outside its allowed set (unknown profile, coder, reserved bits). */
export class InvalidHeaderError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.invalidHeader, message);
  }
}

/** A descriptor has the wrong length or holds NaN / infinite values. */
export class InvalidDescriptorError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.invalidDescriptor, message);
  }
}

/** A model manifest, CDF table or ONNX file is missing or malformed. */
export class InvalidModelError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.invalidModel, message);
  }
}

/** A streamed frame arrived out of order or a delta frame arrived before any key frame. */
export class StreamOrderError extends CodecError {
  constructor(message: string) {
    super(CodecErrorCode.streamOrder, message);
  }
}
