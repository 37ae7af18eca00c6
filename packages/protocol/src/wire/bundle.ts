import { CompactFrameError } from './compact-frame.js';

/**
 * Protocol v2 bundle: several messages (compact frames or Envelopes) in one WebSocket message, so
 * an interval's frames of one or many publishers pay one WebSocket and TCP/IP header.
 *
 * ```
 *  byte 0       0x01                 bundle marker (no Envelope or compact frame starts with it)
 *  repeated:    varint length, bytes one message of `length` (>= 1) bytes
 * ```
 */
export const BUNDLE_MARKER = 0x01;

/** Most entries a decoder accepts in one bundle. */
export const MAX_BUNDLE_ENTRIES = 4096;

/** Packs messages into one bundle. @throws RangeError for an empty list or an empty message. */
export function encodeBundle(messages: readonly Uint8Array[]): Uint8Array {
  if (messages.length === 0) throw new RangeError('a bundle needs at least one message');
  if (messages.length > MAX_BUNDLE_ENTRIES) throw new RangeError(`at most ${MAX_BUNDLE_ENTRIES} messages`);
  let size = 1;
  for (const m of messages) {
    if (m.length === 0) throw new RangeError('bundle entries must not be empty');
    size += varintLength(m.length) + m.length;
  }
  const out = new Uint8Array(size);
  out[0] = BUNDLE_MARKER;
  let o = 1;
  for (const m of messages) {
    let v = m.length;
    while (v >= 0x80) {
      out[o++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[o++] = v;
    out.set(m, o);
    o += m.length;
  }
  return out;
}

/**
 * Splits a bundle into its messages (views into `bytes`).
 * @throws CompactFrameError for anything malformed (never another error type).
 */
export function decodeBundle(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < 3 || bytes[0] !== BUNDLE_MARKER) throw new CompactFrameError('not a bundle');
  const out: Uint8Array[] = [];
  let o = 1;
  while (o < bytes.length) {
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 21) throw new CompactFrameError('bundle entry length longer than 4 bytes');
      if (o >= bytes.length) throw new CompactFrameError('truncated bundle entry length');
      const b = bytes[o++]!;
      len += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
    }
    if (len === 0) throw new CompactFrameError('empty bundle entry');
    if (o + len > bytes.length) throw new CompactFrameError('bundle entry runs past the message');
    if (out.length >= MAX_BUNDLE_ENTRIES) throw new CompactFrameError('too many bundle entries');
    out.push(bytes.subarray(o, o + len));
    o += len;
  }
  return out;
}

function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
