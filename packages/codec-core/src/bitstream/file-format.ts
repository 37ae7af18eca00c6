import {
  BadMagicError,
  BitstreamTruncatedError,
  CrcMismatchError,
  InvalidHeaderError,
  UnsupportedVersionError,
} from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter, varintLength } from './byte-writer.js';
import {
  BITSTREAM_VERSION,
  CRC_BYTES,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  MAX_FRAME_PAYLOAD_BYTES,
} from './constants.js';
import { crc32 } from './crc32.js';
import {
  type StreamParams,
  assertStreamParams,
  paramsFromWire,
  readStreamParamsWire,
  writeStreamParams,
} from './stream-params.js';

/** A parsed batch file: its params and one payload view per frame (views into the input, no copy). */
export interface ParsedFile {
  readonly params: StreamParams;
  readonly payloads: readonly Uint8Array[];
  /** Bytes of header + length table + CRC (everything but payloads). */
  readonly overheadBytes: number;
}

const MAX_VARINT_BYTES = 3;

/** Bytes a batch file with these payload sizes takes. */
export function fileLength(payloads: readonly Uint8Array[]): number {
  let n = FILE_HEADER_BYTES + CRC_BYTES;
  for (const p of payloads) n += varintLength(p.length) + p.length;
  return n;
}

/** Writes a batch file (bitstream v1): header, frame length table, payloads, CRC-32. */
export function writeFile(params: StreamParams, payloads: readonly Uint8Array[]): Uint8Array {
  assertStreamParams(params);
  for (const p of payloads) {
    if (p.length > MAX_FRAME_PAYLOAD_BYTES)
      throw new RangeError(`frame payload of ${p.length} bytes too large`);
  }
  const w = new ByteWriter(fileLength(payloads));
  w.raw(FILE_MAGIC);
  w.u8(BITSTREAM_VERSION);
  w.u8(0);
  writeStreamParams(w, params);
  w.u32(payloads.length);
  for (const p of payloads) w.varint(p.length);
  for (const p of payloads) w.raw(p);
  w.u32(crc32(w.bytes.subarray(0, w.offset)));
  return w.finish();
}

/** True when `bytes` starts with the batch file magic. */
export function isFile(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && FILE_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Parses and validates a batch file: magic, version, reserved bits, header values, length table and CRC.
 * Throws only {@link CodecError} subclasses.
 */
export function parseFile(bytes: Uint8Array): ParsedFile {
  const r = new ByteReader(bytes, 0, 'file');
  const magic = r.view(4);
  if (!FILE_MAGIC.every((b, i) => magic[i] === b)) throw new BadMagicError('not a semface file (bad magic)');
  const version = r.u8();
  if (version !== BITSTREAM_VERSION) {
    throw new UnsupportedVersionError(`file version ${version}, this build reads ${BITSTREAM_VERSION}`);
  }
  const flags = r.u8();
  if (flags !== 0) throw new InvalidHeaderError(`reserved file flags set: 0x${flags.toString(16)}`);
  const wire = readStreamParamsWire(r);
  const frameCount = r.u32();
  // Check the CRC before trusting the length table, so random corruption reports as a CRC error.
  // Every frame takes at least one length byte, which bounds frameCount by the input size.
  if (bytes.length < FILE_HEADER_BYTES + CRC_BYTES + frameCount) {
    throw new BitstreamTruncatedError(
      `file truncated: ${frameCount} frames need more than ${bytes.length} bytes`,
    );
  }
  const lengths = new Array<number>(frameCount);
  let total = 0;
  for (let i = 0; i < frameCount; i++) {
    const n = r.varint(MAX_VARINT_BYTES);
    if (n > MAX_FRAME_PAYLOAD_BYTES) throw new InvalidHeaderError(`frame ${i} length ${n} too large`);
    lengths[i] = n;
    total += n;
  }
  const expected = r.offset + total + CRC_BYTES;
  if (expected > bytes.length) {
    throw new BitstreamTruncatedError(`file truncated: need ${expected} bytes, have ${bytes.length}`);
  }
  if (expected < bytes.length) {
    throw new InvalidHeaderError(`file has ${bytes.length - expected} trailing bytes after its CRC`);
  }
  const body = bytes.length - CRC_BYTES;
  const stored = new ByteReader(bytes, body, 'file').u32();
  const actual = crc32(bytes.subarray(0, body));
  if (stored !== actual) {
    throw new CrcMismatchError(
      `file CRC-32 mismatch: stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`,
    );
  }
  const params = paramsFromWire(...wire);
  const payloads = lengths.map((n) => r.view(n));
  return { params, payloads, overheadBytes: bytes.length - total };
}
