/** Protocol version spoken by this package (`Hello.protocol_version`, `Welcome.protocol_version`). */
export const PROTOCOL_VERSION = 2 as const;

/** Oldest protocol version a relay accepts (v1: every frame a protobuf Envelope). */
export const MIN_PROTOCOL_VERSION = 1 as const;

/** HTTP path of the relay WebSocket endpoint. */
export const RELAY_PATH = '/v1/relay' as const;

/** Shared wire limits. Servers may configure lower values; these are the protocol maxima/defaults. */
export const WireLimits = Object.freeze({
  /** Default largest Envelope a relay accepts, in bytes (a full-profile frame is well under 2 KiB). */
  maxMessageBytes: 64 * 1024,
  /** Longest room name, in characters. */
  maxRoomLength: 64,
  /** Longest identity (`sub` claim), in characters. */
  maxIdentityLength: 128,
  /** Longest `Frame.model_id`, in characters. */
  maxModelIdLength: 64,
  /** Highest `Frame.stream` value. */
  maxStreamId: 255,
} as const);

/**
 * Allowed room names: letters, digits, `_` and `-`. No dots, so a room maps to exactly one
 * NATS subject token and one Redis channel suffix.
 */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Room value in a token that grants every room. */
export const ANY_ROOM = '*' as const;

/** True if `room` is a valid room name. */
export function isValidRoomName(room: string): boolean {
  return ROOM_NAME_PATTERN.test(room);
}
