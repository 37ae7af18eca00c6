import { describe, expect, it } from 'vitest';
import { rgbaFrame, validateRgbaFrame } from './frame.js';

describe('validateRgbaFrame', () => {
  it('accepts a well-formed frame', () => {
    const frame = rgbaFrame(3, 2, new Uint8Array(24));
    expect(frame.width).toBe(3);
    expect(validateRgbaFrame({ width: 1, height: 1, data: new Uint8ClampedArray(4) }).height).toBe(1);
  });

  it.each([
    ['zero width', { width: 0, height: 2, data: new Uint8Array(0) }],
    ['fractional height', { width: 2, height: 1.5, data: new Uint8Array(12) }],
    ['short data', { width: 2, height: 2, data: new Uint8Array(15) }],
    ['RGB data', { width: 2, height: 2, data: new Uint8Array(12) }],
    ['float data', { width: 1, height: 1, data: new Float32Array(4) as unknown as Uint8Array }],
  ])('rejects %s with SEMFACE_ERR_INVALID_FRAME', (_name, frame) => {
    expect(() => validateRgbaFrame(frame)).toThrow(
      expect.objectContaining({ code: 'SEMFACE_ERR_INVALID_FRAME' }),
    );
  });
});
