import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Version byte of the signed bus framing. */
export const BUS_FRAMING_VERSION = 1;
/** Bytes of the truncated HMAC-SHA256 tag (128 bits). */
export const BUS_TAG_BYTES = 16;
/** Bytes before the BusMessage: version + tag. */
export const BUS_HEADER_BYTES = 1 + BUS_TAG_BYTES;

const KEY_INFO = 'semface bus message hmac v1';

/**
 * Derives the 32-byte bus HMAC key from a cluster secret (HKDF-SHA256). Used for `busSecret`
 * or, when none is set, the token secret: the key is independent of the token signing key
 * either way, so a bus key never verifies a token or the other way round.
 */
export function deriveBusKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), KEY_INFO, 32));
}

/** Channel label signed with a room message (binds it to its room: no cross-room replay). */
export function roomChannelLabel(room: string): string {
  return `room/${room}`;
}

/** Channel label signed with a cluster-channel message. */
export const CLUSTER_CHANNEL_LABEL = 'cluster';

/** Why {@link BusCodec.open} refused a message. */
export type BusOpenFailure = 'malformed' | 'bad_signature';

/**
 * Signed framing of bus messages: `[version][tag = HMAC-SHA256(key, channel || 0 || body)[:16]][body]`.
 * Verification is constant-time and happens before the body is parsed.
 */
export class BusCodec {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length < 32) throw new RangeError('bus key must be at least 32 bytes');
    this.#key = Buffer.from(key);
  }

  #tag(channel: string, body: Uint8Array): Buffer {
    return createHmac('sha256', this.#key)
      .update(channel)
      .update(ZERO)
      .update(body)
      .digest()
      .subarray(0, BUS_TAG_BYTES);
  }

  /** Frames and signs one encoded BusMessage for `channel`. */
  seal(channel: string, body: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + body.length);
    out[0] = BUS_FRAMING_VERSION;
    this.#tag(channel, body).copy(out, 1);
    out.set(body, BUS_HEADER_BYTES);
    return out;
  }

  /** Checks framing and tag; returns the BusMessage bytes or why they were refused. */
  open(channel: string, data: Uint8Array): Uint8Array | BusOpenFailure {
    if (data.length <= BUS_HEADER_BYTES || data[0] !== BUS_FRAMING_VERSION) return 'malformed';
    const body = data.subarray(BUS_HEADER_BYTES);
    const tag = data.subarray(1, BUS_HEADER_BYTES);
    return timingSafeEqual(tag, this.#tag(channel, body)) ? body : 'bad_signature';
  }
}

const ZERO = new Uint8Array([0]);
