import { MODEL_ID_BYTES } from './constants.js';

const HEX_ID = /^[0-9a-f]{12}$/;

/** True when `id` is a 12-digit lower-case hex model id. */
export function isModelId(id: string): boolean {
  return HEX_ID.test(id);
}

/** Encodes a 12-hex-digit model id into its 6 wire bytes. */
export function modelIdToBytes(id: string): Uint8Array {
  if (!isModelId(id)) throw new RangeError(`model id must be 12 lower-case hex digits, got '${id}'`);
  const out = new Uint8Array(MODEL_ID_BYTES);
  for (let i = 0; i < MODEL_ID_BYTES; i++) out[i] = Number.parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Decodes 6 wire bytes (starting at `offset`) into a 12-hex-digit model id. */
export function modelIdFromBytes(bytes: Uint8Array, offset = 0): string {
  let s = '';
  for (let i = 0; i < MODEL_ID_BYTES; i++) s += bytes[offset + i]!.toString(16).padStart(2, '0');
  return s;
}
