import { ViewerMessageError } from '../errors.js';

/**
 * Messages between the demo server and the viewer page. Text WebSocket messages are JSON
 * objects with a `type`. Binary messages are framed as
 * `[u8 kind][3 zero bytes][u32 LE header length][header JSON][zero pad to 4][payload]`;
 * public/viewer-messages.js mirrors this for the page (a test keeps the two in step).
 */
export const BinaryKind = {
  /** Server -> page: downscaled input frame, payload = JPEG. */
  inputFrame: 1,
  /** Server -> page: posed avatar mesh, payload = Float32 positions (V*3) then Uint8 colours (V*3). */
  avatarMesh: 2,
  /** Page -> server: camera frame, payload = JPEG. */
  cameraFrame: 3,
} as const;
export type BinaryKind = (typeof BinaryKind)[keyof typeof BinaryKind];

const KINDS: ReadonlySet<number> = new Set(Object.values(BinaryKind));
const PREFIX_BYTES = 8;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One decoded binary message. */
export interface BinaryMessage {
  readonly kind: BinaryKind;
  readonly header: Record<string, unknown>;
  /** View into the message bytes. */
  readonly payload: Uint8Array;
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Frames a binary message; payload parts are concatenated in order. */
export function encodeBinaryMessage(
  kind: BinaryKind,
  header: Record<string, unknown>,
  ...payload: Uint8Array[]
): Uint8Array {
  const json = encoder.encode(JSON.stringify(header));
  const start = pad4(PREFIX_BYTES + json.length);
  const length = start + payload.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(length);
  out[0] = kind;
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, PREFIX_BYTES);
  let o = start;
  for (const p of payload) {
    out.set(p, o);
    o += p.length;
  }
  if (o !== length) throw new Error(`binary message length ${o} != ${length}`);
  return out;
}

/** Parses a binary message. @throws ViewerMessageError when malformed. */
export function decodeBinaryMessage(bytes: Uint8Array): BinaryMessage {
  if (bytes.length < PREFIX_BYTES) throw new ViewerMessageError('binary message shorter than its prefix');
  const kind = bytes[0]!;
  if (!KINDS.has(kind)) throw new ViewerMessageError(`unknown binary message kind ${kind}`);
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(4, true);
  const start = pad4(PREFIX_BYTES + jsonLength);
  if (start > bytes.length) throw new ViewerMessageError('binary message header runs past its end');
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + jsonLength)));
  } catch {
    throw new ViewerMessageError('binary message header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ViewerMessageError('binary message header is not an object');
  }
  return {
    kind: kind as BinaryKind,
    header: header as Record<string, unknown>,
    payload: bytes.subarray(start),
  };
}
