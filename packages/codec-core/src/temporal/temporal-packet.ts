import { ByteReader } from '../bitstream/byte-reader.js';
import { ByteWriter, varintLength } from '../bitstream/byte-writer.js';
import { CRC_BYTES, MODEL_ID_BYTES } from '../bitstream/constants.js';
import { crc32 } from '../bitstream/crc32.js';
import { modelIdFromBytes, modelIdToBytes } from '../bitstream/model-id.js';
import { BadMagicError, CrcMismatchError, InvalidHeaderError, UnsupportedVersionError } from '../errors.js';
import {
  TEMPORAL_KEY_MARKER,
  TEMPORAL_PACKET_KINDS,
  TEMPORAL_SEQUENCE_MODULO,
  TEMPORAL_TRANSFORM_VERSION,
  TEMPORAL_VERSION,
  type TemporalPacketKind,
  TemporalPacketType,
} from './constants.js';

/** Stream header carried by key packets. */
export interface TemporalKeyHeader {
  /**
   * Latent layer: the `expression`-profile model coding the per-frame layer. Transform layer (when
   * {@link motionStep} is set): the motion transform's id.
   */
  readonly motionModelId: string;
  /** Model coding the identity fields (an `identity`-profile model). */
  readonly identityModelId: string;
  /** Lighting quantiser step in units of 1e-4 (1..65535). */
  readonly lightingStep: number;
  /**
   * Transform layer only (version 2 key packets): quantiser step of the motion transform coefficients
   * in units of 1e-4 (1..65535). Absent: latent layer (version 1).
   */
  readonly motionStep?: number;
}

/** The parts of one temporal packet. */
export interface TemporalPacket {
  readonly kind: TemporalPacketKind;
  /** 0..63, +1 per packet. */
  readonly sequence: number;
  /** Key packets only. */
  readonly header?: TemporalKeyHeader;
  /** Identity layer payload (key and identity packets). */
  readonly identity?: Uint8Array;
  /** Per-frame layer payload: intra latents (key) or residual (delta, identity); empty for skip. */
  readonly motion: Uint8Array;
}

const KEY_HEADER_BYTES = 1 + 2 * MODEL_ID_BYTES + 2;
/** Extra header bytes of a version 2 (transform layer) key packet: the motion step (u16). */
const TRANSFORM_HEADER_BYTES = 2;

function checkStep(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1 || v > 0xffff) {
    throw new RangeError(`${what} must be an integer in 1..65535, got ${v}`);
  }
}

function packetLength(p: TemporalPacket): number {
  const id = p.identity ? varintLength(p.identity.length) + p.identity.length : 0;
  switch (p.kind) {
    case 'skip':
      return 1;
    case 'delta':
      return 1 + p.motion.length;
    case 'identity':
      return 1 + id + p.motion.length;
    case 'key':
      return (
        1 +
        KEY_HEADER_BYTES +
        (p.header?.motionStep === undefined ? 0 : TRANSFORM_HEADER_BYTES) +
        id +
        p.motion.length +
        CRC_BYTES
      );
  }
}

/**
 * Writes one temporal packet. Delta, skip and identity packets have no length field or CRC: the packet
 * is one transport message (reliable, in-order transports such as WebSocket give integrity); key packets
 * carry a CRC-32 because a decoder (re)starts from them.
 */
export function writeTemporalPacket(p: TemporalPacket): Uint8Array {
  if (!Number.isInteger(p.sequence) || p.sequence < 0 || p.sequence >= TEMPORAL_SEQUENCE_MODULO) {
    throw new RangeError(`sequence must be an integer in 0..63, got ${p.sequence}`);
  }
  if ((p.kind === 'key' || p.kind === 'identity') !== (p.identity !== undefined)) {
    throw new TypeError('key and identity packets (only) carry an identity layer');
  }
  if ((p.kind === 'key') !== (p.header !== undefined))
    throw new TypeError('key packets (only) carry a header');
  if (p.kind === 'skip' && p.motion.length !== 0) throw new TypeError('skip packets carry no payload');
  const w = new ByteWriter(packetLength(p));
  w.u8((TemporalPacketType[p.kind] << 6) | p.sequence);
  if (p.header) {
    const h = p.header;
    checkStep(h.lightingStep, 'lightingStep');
    if (h.motionStep !== undefined) checkStep(h.motionStep, 'motionStep');
    const version = h.motionStep === undefined ? TEMPORAL_VERSION : TEMPORAL_TRANSFORM_VERSION;
    w.u8(TEMPORAL_KEY_MARKER | version);
    w.raw(modelIdToBytes(h.motionModelId));
    w.raw(modelIdToBytes(h.identityModelId));
    w.u16(h.lightingStep);
    if (h.motionStep !== undefined) w.u16(h.motionStep);
  }
  if (p.identity) {
    w.varint(p.identity.length);
    w.raw(p.identity);
  }
  w.raw(p.motion);
  if (p.kind === 'key') w.u32(crc32(w.bytes.subarray(0, w.offset)));
  return w.finish();
}

/** Parses one temporal packet (the whole of `bytes`). Throws only CodecError subclasses. */
export function parseTemporalPacket(bytes: Uint8Array): TemporalPacket {
  const r = new ByteReader(bytes, 0, 'temporal packet');
  const first = r.u8();
  const kind = TEMPORAL_PACKET_KINDS[first >>> 6]!;
  const sequence = first & (TEMPORAL_SEQUENCE_MODULO - 1);
  if (kind === 'skip') {
    if (bytes.length !== 1) throw new InvalidHeaderError(`skip packet of ${bytes.length} bytes`);
    return { kind, sequence, motion: new Uint8Array(0) };
  }
  if (kind === 'delta') return { kind, sequence, motion: bytes.subarray(1) };
  let header: TemporalKeyHeader | undefined;
  let end = bytes.length;
  if (kind === 'key') {
    const marker = r.u8();
    if ((marker & 0xf0) !== TEMPORAL_KEY_MARKER) throw new BadMagicError('not a temporal key packet');
    const version = marker & 0x0f;
    if (version !== TEMPORAL_VERSION && version !== TEMPORAL_TRANSFORM_VERSION) {
      throw new UnsupportedVersionError(
        `temporal version ${version}, this build reads ${TEMPORAL_VERSION} and ${TEMPORAL_TRANSFORM_VERSION}`,
      );
    }
    const transform = version === TEMPORAL_TRANSFORM_VERSION;
    if (bytes.length < 1 + KEY_HEADER_BYTES + (transform ? TRANSFORM_HEADER_BYTES : 0) + 1 + CRC_BYTES) {
      throw new InvalidHeaderError('temporal key packet too short');
    }
    end = bytes.length - CRC_BYTES;
    const stored = new ByteReader(bytes, end).u32();
    const actual = crc32(bytes.subarray(0, end));
    if (stored !== actual) {
      throw new CrcMismatchError(
        `key packet CRC-32 mismatch: stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`,
      );
    }
    const motionModelId = modelIdFromBytes(r.view(MODEL_ID_BYTES));
    const identityModelId = modelIdFromBytes(r.view(MODEL_ID_BYTES));
    const lightingStep = r.u16();
    if (lightingStep === 0) throw new InvalidHeaderError('lighting step 0');
    if (transform) {
      const motionStep = r.u16();
      if (motionStep === 0) throw new InvalidHeaderError('motion step 0');
      header = { motionModelId, identityModelId, lightingStep, motionStep };
    } else {
      header = { motionModelId, identityModelId, lightingStep };
    }
  }
  const idLength = r.varint(3);
  if (r.offset + idLength > end) throw new InvalidHeaderError('identity layer runs past the packet');
  const identity = r.view(idLength);
  return { kind, sequence, header, identity, motion: bytes.subarray(r.offset, end) };
}
