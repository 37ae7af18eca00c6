import { BadMagicError, CrcMismatchError, InvalidHeaderError, UnsupportedVersionError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter, varintLength } from './byte-writer.js';
import {
  BITSTREAM_VERSION,
  CRC_BYTES,
  FRAME_MARKER,
  FrameFlag,
  MAX_FRAME_PAYLOAD_BYTES,
  STREAM_PARAMS_BYTES,
} from './constants.js';
import { crc32 } from './crc32.js';
import {
  type StreamParams,
  assertStreamParams,
  paramsFromWire,
  readStreamParamsWire,
  writeStreamParams,
} from './stream-params.js';

/** Per-frame fields of a frame packet. */
export interface FrameInfo {
  /** Frame sequence number, 0..65535, +1 per frame of a stream (wrapping). */
  readonly sequence: number;
  /** Key frame: carries the stream params and resets entropy statistics (decoding can start here). */
  readonly keyFrame: boolean;
}

/** A parsed, CRC-checked frame packet. */
export interface ParsedFramePacket extends FrameInfo {
  /** Stream params; present exactly on key frames. */
  readonly params: StreamParams | undefined;
  /** View (no copy) of the entropy-coded payload. */
  readonly payload: Uint8Array;
  /** Bytes the whole packet takes in the input (header + payload + CRC). */
  readonly byteLength: number;
}

const MAX_VARINT_BYTES = 3;

/** Bytes of a frame packet with a payload of `payloadLength` bytes. */
export function framePacketLength(payloadLength: number, keyFrame: boolean): number {
  return (
    2 + (keyFrame ? STREAM_PARAMS_BYTES : 0) + 2 + varintLength(payloadLength) + payloadLength + CRC_BYTES
  );
}

/**
 * Writes one self-delimiting frame packet: marker + version, flags, stream params (key frames only),
 * sequence, payload length, payload, CRC-32 over everything before it. `params` is required for key frames.
 */
export function writeFramePacket(
  params: StreamParams | undefined,
  frame: FrameInfo,
  payload: Uint8Array,
): Uint8Array {
  if (!Number.isInteger(frame.sequence) || frame.sequence < 0 || frame.sequence > 0xffff) {
    throw new RangeError(`sequence must be an integer in 0..65535, got ${frame.sequence}`);
  }
  if (payload.length > MAX_FRAME_PAYLOAD_BYTES)
    throw new RangeError(`payload of ${payload.length} bytes too large`);
  if (frame.keyFrame) {
    if (!params) throw new TypeError('key frames carry the stream params');
    assertStreamParams(params);
  }
  const w = new ByteWriter(framePacketLength(payload.length, frame.keyFrame));
  w.u8(FRAME_MARKER | BITSTREAM_VERSION);
  w.u8(frame.keyFrame ? FrameFlag.keyFrame : 0);
  if (frame.keyFrame && params) writeStreamParams(w, params);
  w.u16(frame.sequence);
  w.varint(payload.length);
  w.raw(payload);
  w.u32(crc32(w.bytes.subarray(0, w.offset)));
  return w.finish();
}

/** True when `bytes` (at `offset`) starts with a frame packet marker of any version. */
export function isFramePacket(bytes: Uint8Array, offset = 0): boolean {
  return bytes.length > offset && (bytes[offset]! & 0xf0) === FRAME_MARKER;
}

/**
 * Parses and validates the frame packet starting at `offset` (marker, version, flags, header values, CRC).
 * Extra bytes after the packet are allowed (use `byteLength` to step to the next one).
 * Throws only {@link CodecError} subclasses.
 */
export function parseFramePacket(bytes: Uint8Array, offset = 0): ParsedFramePacket {
  const r = new ByteReader(bytes, offset, 'frame packet');
  const first = r.u8();
  if ((first & 0xf0) !== FRAME_MARKER) throw new BadMagicError('not a semface frame packet (bad marker)');
  const version = first & 0x0f;
  if (version !== BITSTREAM_VERSION) {
    throw new UnsupportedVersionError(`frame version ${version}, this build reads ${BITSTREAM_VERSION}`);
  }
  const flags = r.u8();
  if ((flags & ~FrameFlag.keyFrame) !== 0) {
    throw new InvalidHeaderError(`reserved frame flags set: 0x${flags.toString(16)}`);
  }
  const keyFrame = (flags & FrameFlag.keyFrame) !== 0;
  const wire = keyFrame ? readStreamParamsWire(r) : undefined;
  const sequence = r.u16();
  const payloadLength = r.varint(MAX_VARINT_BYTES);
  if (payloadLength > MAX_FRAME_PAYLOAD_BYTES)
    throw new InvalidHeaderError(`frame length ${payloadLength} too large`);
  const payload = r.view(payloadLength);
  const end = r.offset;
  const stored = r.u32();
  const actual = crc32(bytes.subarray(offset, end));
  if (stored !== actual) {
    throw new CrcMismatchError(
      `frame CRC-32 mismatch: stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`,
    );
  }
  const params = wire ? paramsFromWire(...wire) : undefined;
  return { params, sequence, keyFrame, payload, byteLength: r.offset - offset };
}
