import { BadMagicError, CrcMismatchError, InvalidHeaderError, UnsupportedVersionError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import {
  BITSTREAM_VERSION,
  CRC_BYTES,
  FRAME_HEADER_BYTES,
  FRAME_SYNC,
  FrameFlag,
  MAX_FRAME_PAYLOAD_BYTES,
  MODEL_ID_BYTES,
} from './constants.js';
import { crc32 } from './crc32.js';
import { modelIdFromBytes, modelIdToBytes } from './model-id.js';
import {
  type StreamParams,
  assertStreamParams,
  coderToWire,
  paramsFromWire,
  profileToWire,
} from './stream-params.js';

/** Per-frame fields of a frame packet. */
export interface FrameInfo {
  /** Frame sequence number, 0..2^32-1, +1 per frame of a stream. */
  readonly sequence: number;
  /** Entropy statistics were reset before this frame (decoding can start here). */
  readonly keyFrame: boolean;
}

/** A parsed, CRC-checked frame packet. */
export interface ParsedFramePacket extends FrameInfo {
  readonly params: StreamParams;
  /** View (no copy) of the entropy-coded payload. */
  readonly payload: Uint8Array;
  /** Bytes the whole packet takes in the input (header + payload + CRC). */
  readonly byteLength: number;
}

/** Bytes of a frame packet with a payload of `payloadLength` bytes. */
export function framePacketLength(payloadLength: number): number {
  return FRAME_HEADER_BYTES + payloadLength + CRC_BYTES;
}

/** Writes one self-delimiting frame packet: header, payload, CRC-32 over both. */
export function writeFramePacket(params: StreamParams, frame: FrameInfo, payload: Uint8Array): Uint8Array {
  assertStreamParams(params);
  if (!Number.isInteger(frame.sequence) || frame.sequence < 0 || frame.sequence > 0xffffffff) {
    throw new RangeError(`sequence must be an integer in 0..2^32-1, got ${frame.sequence}`);
  }
  if (payload.length > MAX_FRAME_PAYLOAD_BYTES)
    throw new RangeError(`payload of ${payload.length} bytes too large`);
  const w = new ByteWriter(framePacketLength(payload.length));
  w.raw(FRAME_SYNC);
  w.u8(BITSTREAM_VERSION);
  w.u8(frame.keyFrame ? FrameFlag.keyFrame : 0);
  w.raw(modelIdToBytes(params.modelId));
  w.u8(profileToWire(params.profile));
  w.u8(params.rateIndex);
  w.u8(coderToWire(params.coder));
  w.u16(params.latentDim);
  w.u32(frame.sequence);
  w.u16(payload.length);
  w.raw(payload);
  w.u32(crc32(w.bytes.subarray(0, w.offset)));
  return w.finish();
}

/** True when `bytes` (at `offset`) starts with the frame packet sync bytes. */
export function isFramePacket(bytes: Uint8Array, offset = 0): boolean {
  return bytes.length >= offset + 2 && bytes[offset] === FRAME_SYNC[0] && bytes[offset + 1] === FRAME_SYNC[1];
}

/**
 * Parses and validates the frame packet starting at `offset` (sync, version, flags, header values, CRC).
 * Extra bytes after the packet are allowed (use `byteLength` to step to the next one).
 * Throws only {@link CodecError} subclasses.
 */
export function parseFramePacket(bytes: Uint8Array, offset = 0): ParsedFramePacket {
  const r = new ByteReader(bytes, offset, 'frame packet');
  const s0 = r.u8();
  const s1 = r.u8();
  if (s0 !== FRAME_SYNC[0] || s1 !== FRAME_SYNC[1])
    throw new BadMagicError('not a semface frame packet (bad sync)');
  const version = r.u8();
  if (version !== BITSTREAM_VERSION) {
    throw new UnsupportedVersionError(`frame version ${version}, this build reads ${BITSTREAM_VERSION}`);
  }
  const flags = r.u8();
  if ((flags & ~FrameFlag.keyFrame) !== 0) {
    throw new InvalidHeaderError(`reserved frame flags set: 0x${flags.toString(16)}`);
  }
  const modelId = modelIdFromBytes(r.view(MODEL_ID_BYTES));
  const profileByte = r.u8();
  const rateIndex = r.u8();
  const coderByte = r.u8();
  const latentDim = r.u16();
  const sequence = r.u32();
  const payloadLength = r.u16();
  const payload = r.view(payloadLength);
  const end = r.offset;
  const stored = r.u32();
  const actual = crc32(bytes.subarray(offset, end));
  if (stored !== actual) {
    throw new CrcMismatchError(
      `frame CRC-32 mismatch: stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`,
    );
  }
  const params = paramsFromWire(modelId, profileByte, rateIndex, coderByte, latentDim);
  return {
    params,
    sequence,
    keyFrame: (flags & FrameFlag.keyFrame) !== 0,
    payload,
    byteLength: r.offset - offset,
  };
}
