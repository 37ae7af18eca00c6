import { SemfaceProtocolError } from '../errors.js';
import { FrameKind, type FrameKindValue } from '../frame-kind.js';

/**
 * Protocol v2 compact frame: the per-frame hot path of the relay, one WebSocket message (or one
 * bundle entry) per coded frame. Everything that does not change from frame to frame (publisher,
 * stream, model id, profile, coding) travels once per track in a `Track` Envelope; what is left is
 *
 * ```
 *  byte 0        1 K K 0 0 0 0 0    bit 7 = 1 (compact frame), K = kind - 1, bits 4..0 reserved (0;
 *                                   bit 4 marks a follow-on frame inside a bundle, see bundle-frames.ts)
 *  varint        track              relay -> subscriber: the relay's track number; publisher -> relay: stream id
 *  u8            seq                per-track sequence number modulo 256
 *  u16 (BE)      time               capture time, Unix epoch milliseconds modulo 65,536 (relay clock)
 *  bytes         payload            the codec packet, up to the end of the message (>= 1 byte)
 * ```
 *
 * 5 bytes of framing for tracks 0..127 (40 bits), against ~70 for a v1 `Frame` Envelope. There is
 * no length and no CRC: the WebSocket message delimits the frame, TCP and the codec's key-packet
 * CRC guard integrity. Time is a 16-bit window: receivers pick the epoch time nearest their own
 * estimate of the relay clock (see {@link unwrapCaptureTimeMs}).
 */
export interface CompactFrame {
  /** Frame kind (key, delta, identity, identity code). */
  readonly kind: FrameKindValue;
  /** Track number, 0..{@link MAX_TRACK}. */
  readonly track: number;
  /** Sequence number modulo 256. */
  readonly seq: number;
  /** Capture time, Unix epoch ms modulo 65,536. */
  readonly timeMs16: number;
  /** Codec payload (>= 1 byte); a view into the message when decoded. */
  readonly payload: Uint8Array;
}

/** Marker bit of a compact frame's first byte. */
export const COMPACT_FRAME_MARKER = 0x80;
/** Highest track number (varint of at most 3 bytes). */
export const MAX_TRACK = 0x1f_ffff;
/** Framing bytes of a compact frame on track `track` (payload not included). */
export function compactFrameOverhead(track: number): number {
  return 1 + varintBytes(track) + 1 + 2;
}

/** A message that is not a valid compact frame or bundle. */
export class CompactFrameError extends SemfaceProtocolError {
  constructor(message: string) {
    super('SEMFACE_ERR_PROTOCOL_COMPACT_FRAME', message);
  }
}

function varintBytes(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : 3;
}

function checkInt(name: string, v: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${name} must be an integer`);
  if (v < 0 || v > max) throw new RangeError(`${name} must be in [0, ${max}], got ${v}`);
}

/** Encodes one compact frame into a fresh buffer. @throws TypeError / RangeError for bad fields. */
export function encodeCompactFrame(f: CompactFrame): Uint8Array {
  checkInt('kind', f.kind, 4);
  if (f.kind < FrameKind.key) throw new RangeError('kind must be 1..4');
  checkInt('track', f.track, MAX_TRACK);
  checkInt('seq', f.seq, 0xff);
  checkInt('timeMs16', f.timeMs16, 0xffff);
  if (!(f.payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
  if (f.payload.length === 0) throw new RangeError('payload must not be empty');
  const head = compactFrameOverhead(f.track);
  const out = new Uint8Array(head + f.payload.length);
  let o = 0;
  out[o++] = COMPACT_FRAME_MARKER | ((f.kind - 1) << 5);
  let t = f.track;
  while (t >= 0x80) {
    out[o++] = (t & 0x7f) | 0x80;
    t >>>= 7;
  }
  out[o++] = t;
  out[o++] = f.seq;
  out[o++] = f.timeMs16 >>> 8;
  out[o++] = f.timeMs16 & 0xff;
  out.set(f.payload, o);
  return out;
}

/**
 * Decodes one compact frame; the payload is a view into `bytes`.
 * @throws CompactFrameError for anything malformed (never another error type).
 */
export function decodeCompactFrame(bytes: Uint8Array): CompactFrame {
  const n = bytes.length;
  if (n < 6) throw new CompactFrameError(`compact frame of ${n} bytes (at least 6)`);
  const b0 = bytes[0]!;
  if ((b0 & COMPACT_FRAME_MARKER) === 0) throw new CompactFrameError('not a compact frame');
  if ((b0 & 0x1f) !== 0) throw new CompactFrameError('reserved bits of a compact frame are set');
  const kind = (((b0 >>> 5) & 0x3) + 1) as FrameKindValue;
  let o = 1;
  let track = 0;
  for (let shift = 0; ; shift += 7) {
    if (shift > 14) throw new CompactFrameError('track number longer than 3 bytes');
    const b = bytes[o++]!;
    track |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    if (o >= n) throw new CompactFrameError('truncated track number');
  }
  if (o + 4 > n) throw new CompactFrameError('compact frame without payload');
  const seq = bytes[o++]!;
  const timeMs16 = (bytes[o]! << 8) | bytes[o + 1]!;
  o += 2;
  return { kind, track, seq, timeMs16, payload: bytes.subarray(o) };
}

/** Capture time folded into the 16-bit window of a compact frame. */
export function foldCaptureTimeMs(epochMs: number): number {
  return Math.floor(epochMs) & 0xffff;
}

/**
 * The epoch time whose low 16 bits are `timeMs16` and which lies nearest `nowMs` (the receiver's
 * estimate of the relay clock); frames are at most ~32 s old or early, far beyond any live latency.
 */
export function unwrapCaptureTimeMs(timeMs16: number, nowMs: number): number {
  const base = Math.floor(nowMs) - (Math.floor(nowMs) & 0xffff) + timeMs16;
  const diff = base - nowMs;
  if (diff > 0x8000) return base - 0x10000;
  if (diff < -0x8000) return base + 0x10000;
  return base;
}
