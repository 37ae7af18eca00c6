import { RELAY_ERROR_CLOSE_CODE, RelayErrorCode, type RelayErrorName, SemfaceError } from '@semface/protocol';

/** Base class of errors thrown by @semface/server (codes in docs/errors.md). */
export class SemfaceServerError extends SemfaceError {}

/** An error reported to a relay client; carries the WebSocket close code of its kind. */
export class RelayError extends SemfaceServerError {
  /** Error kind (key of RelayErrorCode). */
  readonly kind: RelayErrorName;
  /** Close code paired with this error (4000-4999). */
  readonly closeCode: number;
  constructor(kind: RelayErrorName, message: string, options?: { cause?: unknown }) {
    super(RelayErrorCode[kind], message, options);
    this.kind = kind;
    this.closeCode = RELAY_ERROR_CLOSE_CODE[kind];
  }
}

/** Token missing, malformed, badly signed, or with invalid claims. */
export class TokenInvalidError extends RelayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unauthorized', message, options);
  }
}

/** Token past its `exp`. */
export class TokenExpiredError extends RelayError {
  constructor(message = 'token expired', options?: { cause?: unknown }) {
    super('tokenExpired', message, options);
  }
}

/** A bus adapter failed (connect, publish, subscribe). */
export class BusError extends SemfaceServerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEMFACE_ERR_SERVER_BUS', message, options);
  }
}

/** The server was used after close(), or started twice. */
export class ServerStateError extends SemfaceServerError {
  constructor(message: string) {
    super('SEMFACE_ERR_SERVER_STATE', message);
  }
}
