import { CloseCode, type CloseCodeValue } from './close-codes.js';

/**
 * Stable error codes carried by `Error.code` on the wire. Documented in docs/errors.md
 * (section "server"). Each code has one WebSocket close code, used when the error closes
 * the connection (the `Error.close_code` field says whether it does).
 */
export const RelayErrorCode = Object.freeze({
  protocol: 'SEMFACE_ERR_RELAY_PROTOCOL',
  unauthorized: 'SEMFACE_ERR_RELAY_UNAUTHORIZED',
  tokenExpired: 'SEMFACE_ERR_RELAY_TOKEN_EXPIRED',
  forbidden: 'SEMFACE_ERR_RELAY_FORBIDDEN',
  unsupportedVersion: 'SEMFACE_ERR_RELAY_UNSUPPORTED_VERSION',
  malformed: 'SEMFACE_ERR_RELAY_MALFORMED',
  unknownMessage: 'SEMFACE_ERR_RELAY_UNKNOWN_MESSAGE',
  messageTooLarge: 'SEMFACE_ERR_RELAY_MESSAGE_TOO_LARGE',
  rateLimited: 'SEMFACE_ERR_RELAY_RATE_LIMITED',
  slowConsumer: 'SEMFACE_ERR_RELAY_SLOW_CONSUMER',
  helloTimeout: 'SEMFACE_ERR_RELAY_HELLO_TIMEOUT',
  heartbeatTimeout: 'SEMFACE_ERR_RELAY_HEARTBEAT_TIMEOUT',
  notInRoom: 'SEMFACE_ERR_RELAY_NOT_IN_ROOM',
  invalidFrame: 'SEMFACE_ERR_RELAY_INVALID_FRAME',
  internal: 'SEMFACE_ERR_RELAY_INTERNAL',
  connectionLimit: 'SEMFACE_ERR_RELAY_CONNECTION_LIMIT',
} as const);

/** Name of a relay error. */
export type RelayErrorName = keyof typeof RelayErrorCode;
/** Stable string code of a relay error. */
export type RelayErrorCodeValue = (typeof RelayErrorCode)[RelayErrorName];

/** Close code paired with each relay error. */
export const RELAY_ERROR_CLOSE_CODE: Readonly<Record<RelayErrorName, CloseCodeValue>> = Object.freeze({
  protocol: CloseCode.protocol,
  unauthorized: CloseCode.unauthorized,
  tokenExpired: CloseCode.tokenExpired,
  forbidden: CloseCode.forbidden,
  unsupportedVersion: CloseCode.unsupportedVersion,
  malformed: CloseCode.malformed,
  unknownMessage: CloseCode.unknownMessage,
  messageTooLarge: CloseCode.messageTooLarge,
  rateLimited: CloseCode.rateLimited,
  slowConsumer: CloseCode.slowConsumer,
  helloTimeout: CloseCode.helloTimeout,
  heartbeatTimeout: CloseCode.heartbeatTimeout,
  notInRoom: CloseCode.notInRoom,
  invalidFrame: CloseCode.invalidFrame,
  internal: CloseCode.internal,
  connectionLimit: CloseCode.connectionLimit,
});
