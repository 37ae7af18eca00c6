import { describe, expect, it } from 'vitest';
import type { RgbaFrame } from '../types.js';
import { EMBED_INPUT_LENGTH, EMBED_INPUT_SIZE, clipBoxToFrame, writeNetInput } from './net-input.js';

function frameOf(
  width: number,
  height: number,
  px: (x: number, y: number) => [number, number, number],
): RgbaFrame {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = px(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('writeNetInput', () => {
  it('copies a 150x150 region unchanged (no resize)', () => {
    const f = frameOf(160, 155, (x, y) => [x, y, (x * y) % 256]);
    const out = new Float32Array(EMBED_INPUT_LENGTH + 5);
    writeNetInput(f, { x: 3, y: 2, width: 150, height: 150 }, out, 5);
    expect(out[5]).toBe(3);
    expect(out[6]).toBe(2);
    const i = 5 + (10 * EMBED_INPUT_SIZE + 20) * 3;
    expect([out[i], out[i + 1], out[i + 2]]).toEqual([23, 12, (23 * 12) % 256]);
  });

  it('upsamples like tfjs resizeBilinear (alignCorners=false, halfPixelCenters=false)', () => {
    // 75x75 ramp: output column c samples source x = c / 2, clamped at the right edge.
    const f = frameOf(75, 75, (x) => [x * 2, 0, 0]);
    const out = new Float32Array(EMBED_INPUT_LENGTH);
    writeNetInput(f, { x: 0, y: 0, width: 75, height: 75 }, out, 0);
    expect(out[3 * 3]).toBeCloseTo(3, 6); // c = 3 -> x = 1.5 -> (2 + 4) / 2
    expect(out[149 * 3]).toBe(148); // c = 149 -> x = 74.5, ceil clamped to 74 -> 148
  });

  it('pads a non-square region with black, centred, the odd pixel after', () => {
    // 150 wide x 147 high: diff 3 -> round(1.5) = 2 rows appended, 1 row prepended
    const f = frameOf(150, 147, () => [200, 100, 50]);
    const out = new Float32Array(EMBED_INPUT_LENGTH);
    writeNetInput(f, { x: 0, y: 0, width: 150, height: 147 }, out, 0);
    const row = (r: number) => out[r * EMBED_INPUT_SIZE * 3]!;
    expect(row(0)).toBe(0);
    expect(row(1)).toBe(200);
    expect(row(147)).toBe(200);
    expect(row(148)).toBe(0);
    expect(row(149)).toBe(0);
  });
});

describe('clipBoxToFrame', () => {
  it('clips and floors as face-api Box.clipAtImageBorders', () => {
    expect(clipBoxToFrame({ x: -10.5, y: 5.7, width: 50, height: 300 }, 100, 200)).toEqual({
      x: 0,
      y: 5,
      width: 39,
      height: 194,
    });
    expect(clipBoxToFrame({ x: 120, y: 0, width: 10, height: 10 }, 100, 100)).toBeNull();
  });
});
