import { EnvelopeDecodeError, EnvelopeEmptyError } from './errors.js';
import { semface } from './generated/semface.js';

/** Generated message classes of package `semface.v1`. */
export const pb = semface.v1;

/** Names of the `Envelope.body` oneof members. */
export const ENVELOPE_BODIES = Object.freeze([
  'hello',
  'welcome',
  'join',
  'joined',
  'leave',
  'peerJoined',
  'peerLeft',
  'frame',
  'keyFrameRequest',
  'ping',
  'pong',
  'error',
  'track',
] as const);

/** Name of one `Envelope.body` member. */
export type EnvelopeBody = (typeof ENVELOPE_BODIES)[number];

/** A decoded Envelope with its (non-empty) body name. */
export type DecodedEnvelope = semface.v1.Envelope & { body: EnvelopeBody };

/** Encodes one Envelope; the result is a fresh buffer. */
export function encodeEnvelope(message: semface.v1.IEnvelope): Uint8Array {
  return semface.v1.Envelope.encode(message).finish();
}

/**
 * Decodes one Envelope.
 * @throws EnvelopeDecodeError when the bytes are not valid protobuf for Envelope.
 * @throws EnvelopeEmptyError when no known body is set.
 */
export function decodeEnvelope(bytes: Uint8Array): DecodedEnvelope {
  let msg: semface.v1.Envelope;
  try {
    msg = semface.v1.Envelope.decode(bytes);
  } catch (err) {
    throw new EnvelopeDecodeError(`invalid envelope: ${(err as Error).message}`, { cause: err });
  }
  if (msg.body === undefined) throw new EnvelopeEmptyError();
  return msg as DecodedEnvelope;
}

/** Encodes one BusMessage (relay-to-relay). */
export function encodeBusMessage(message: semface.v1.IBusMessage): Uint8Array {
  return semface.v1.BusMessage.encode(message).finish();
}

/**
 * Decodes one BusMessage (relay-to-relay).
 * @throws EnvelopeDecodeError when the bytes are not a valid BusMessage.
 */
export function decodeBusMessage(bytes: Uint8Array): semface.v1.BusMessage {
  try {
    return semface.v1.BusMessage.decode(bytes);
  } catch (err) {
    throw new EnvelopeDecodeError(`invalid bus message: ${(err as Error).message}`, { cause: err });
  }
}
