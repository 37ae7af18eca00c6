/**
 * WebSocket close codes used by the relay. 1000-1011 are RFC 6455 codes the relay also uses;
 * 4000-4999 are semface codes (each matches one entry of {@link RelayErrorCode}).
 */
export const CloseCode = Object.freeze({
  /** Client left normally. */
  normal: 1000,
  /** Server is shutting down (drain); reconnect to another node or later. */
  goingAway: 1001,
  /** Message larger than the server's hard WebSocket limit; sent by `ws` itself. */
  messageTooBig: 1009,
  protocol: 4000,
  unauthorized: 4001,
  tokenExpired: 4002,
  forbidden: 4003,
  unsupportedVersion: 4004,
  malformed: 4005,
  unknownMessage: 4006,
  messageTooLarge: 4007,
  rateLimited: 4008,
  slowConsumer: 4009,
  helloTimeout: 4010,
  heartbeatTimeout: 4011,
  notInRoom: 4012,
  invalidFrame: 4013,
  internal: 4014,
  connectionLimit: 4015,
} as const);

/** Name of a close code. */
export type CloseCodeName = keyof typeof CloseCode;
/** Numeric close code. */
export type CloseCodeValue = (typeof CloseCode)[CloseCodeName];
