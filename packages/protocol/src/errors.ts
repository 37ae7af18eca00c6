/** Base class of errors thrown by @semface/protocol. */
export class SemfaceProtocolError extends Error {
  /** Stable error code. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

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
