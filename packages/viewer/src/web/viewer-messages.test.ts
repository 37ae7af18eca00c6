import { describe, expect, it } from 'vitest';
import { ViewerMessageError } from '../errors.js';
import { PUBLIC_DIR } from './public-dir.js';
import { BinaryKind, decodeBinaryMessage, encodeBinaryMessage } from './viewer-messages.js';

interface PageModule {
  BinaryKind: Record<string, number>;
  decodeBinaryMessage(b: ArrayBuffer): { kind: number; header: unknown; payload: Uint8Array };
  encodeBinaryMessage(kind: number, header: object, payload: Uint8Array): Uint8Array;
}
const page = (await import(`${PUBLIC_DIR}viewer-messages.js`)) as PageModule;

describe('viewer binary messages', () => {
  it('round-trips and aligns the payload to 4 bytes', () => {
    const positions = new Float32Array([1.5, -2, 3]);
    const msg = encodeBinaryMessage(
      BinaryKind.avatarMesh,
      { seq: 7, n: 'é' },
      new Uint8Array(positions.buffer),
    );
    const d = decodeBinaryMessage(msg);
    expect(d.kind).toBe(BinaryKind.avatarMesh);
    expect(d.header).toEqual({ seq: 7, n: 'é' });
    expect(d.payload.byteOffset % 4).toBe(0);
    expect(Array.from(new Float32Array(d.payload.slice().buffer))).toEqual([1.5, -2, 3]);
  });

  it('is the same format as the page module (public/viewer-messages.js)', () => {
    expect(page.BinaryKind).toEqual(BinaryKind);
    const payload = new Uint8Array([9, 8, 7]);
    const fromPage = page.encodeBinaryMessage(BinaryKind.cameraFrame, { id: 3 }, payload);
    expect(Array.from(fromPage)).toEqual(
      Array.from(encodeBinaryMessage(BinaryKind.cameraFrame, { id: 3 }, payload)),
    );
    const ours = encodeBinaryMessage(BinaryKind.inputFrame, { label: 'x' }, payload);
    const d = page.decodeBinaryMessage(ours.slice().buffer);
    expect(d.kind).toBe(BinaryKind.inputFrame);
    expect(d.header).toEqual({ label: 'x' });
    expect(Array.from(d.payload)).toEqual([9, 8, 7]);
  });

  it('rejects malformed messages with ViewerMessageError', () => {
    expect(() => decodeBinaryMessage(new Uint8Array(3))).toThrow(ViewerMessageError);
    expect(() => decodeBinaryMessage(new Uint8Array([99, 0, 0, 0, 0, 0, 0, 0]))).toThrow(ViewerMessageError);
    const bad = encodeBinaryMessage(BinaryKind.inputFrame, {}, new Uint8Array(0));
    new DataView(bad.buffer).setUint32(4, 1000, true);
    expect(() => decodeBinaryMessage(bad)).toThrow(ViewerMessageError);
  });
});
