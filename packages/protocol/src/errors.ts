/**
 * The one error base of every semface package, and the protocol's own errors. Subpath export
 * `@semface/protocol/errors`: imports nothing but the generated code list, so browser and Node code
 * of every package can use it without loading protobufjs.
 */
import type { SemfaceErrorCode } from './generated/error-codes.js';

export { ERROR_CODES, type SemfaceErrorCode } from './generated/error-codes.js';

/** Base class of every error a semface package throws: a stable `code` (docs/errors.md). */
export class SemfaceError extends Error {
  /** Stable machine-readable code, `SEMFACE_ERR_*`. */
  readonly code: SemfaceErrorCode;

  constructor(code: SemfaceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** Name, code, message, the subclass's detail fields (`path`, `closeCode`, ...) and the cause. */
  toJSON(): Record<string, unknown> {
    const { cause: c, name, code, message } = this;
    const cause = c instanceof SemfaceError ? c.toJSON() : c instanceof Error ? `${c.name}: ${c.message}` : c;
    return { ...(this as object), name, code, message, ...(c === undefined ? {} : { cause }) };
  }
}

/** Base class of errors thrown by @semface/protocol. */
export class SemfaceProtocolError extends SemfaceError {}

/** Bytes that are not a valid `semface.v1.Envelope`. */
export class EnvelopeDecodeError extends SemfaceProtocolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEMFACE_ERR_PROTOCOL_DECODE', message, options);
  }
}

/** An Envelope with no body (an empty or unknown `oneof`). */
export class EnvelopeEmptyError extends SemfaceProtocolError {
  constructor() {
    super('SEMFACE_ERR_PROTOCOL_EMPTY_ENVELOPE', 'envelope has no known body');
  }
}
