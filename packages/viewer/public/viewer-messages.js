// Page side of packages/viewer/src/web/viewer-messages.ts (same framing; a test keeps them in step):
// [u8 kind][3 zero bytes][u32 LE header length][header JSON][zero pad to 4][payload]
export const BinaryKind = Object.freeze({ inputFrame: 1, avatarMesh: 2, cameraFrame: 3 });

const pad4 = (n) => (n + 3) & ~3;

/** @param {ArrayBuffer} buffer */
export function decodeBinaryMessage(buffer) {
  const bytes = new Uint8Array(buffer);
  const jsonLength = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength)));
  const start = pad4(8 + jsonLength);
  return { kind: bytes[0], header, payloadOffset: start, payload: bytes.subarray(start) };
}

/** @param {number} kind @param {object} header @param {Uint8Array} payload */
export function encodeBinaryMessage(kind, header, payload) {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = pad4(8 + json.length);
  const out = new Uint8Array(start + payload.length);
  out[0] = kind;
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(payload, start);
  return out;
}
