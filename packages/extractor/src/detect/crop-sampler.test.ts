import { describe, expect, it } from 'vitest';
import type { RgbaFrame } from '../types.js';
import { SIGNED_RANGE, UNIT_RANGE, sampleCrop } from './crop-sampler.js';
import type { RotatedRect } from './rotated-rect.js';

/** The sampler written plainly (one bilinear sample at a time): the reference the fast one must equal bit for bit. */
function referenceCrop(
  frame: RgbaFrame,
  rect: RotatedRect,
  outSize: number,
  scale: number,
  add: number,
  flipX: boolean,
) {
  const { width, height, data } = frame;
  const step = rect.size / outSize;
  const k = Math.min(4, Math.max(1, Math.round(step / 1.5)));
  const inv = 1 / (k * k);
  const cos = Math.cos(rect.angle);
  const sin = Math.sin(rect.angle);
  const half = rect.size / 2;
  const out = new Float32Array(outSize * outSize * 3);
  let o = 0;
  for (let j = 0; j < outSize; j++) {
    for (let i = 0; i < outSize; i++) {
      const ii = flipX ? outSize - 1 - i : i;
      const acc = [0, 0, 0];
      for (let sy = 0; sy < k; sy++) {
        const v = (j + (sy + 0.5) / k) * step - half;
        for (let sx = 0; sx < k; sx++) {
          const u = (ii + (sx + 0.5) / k) * step - half;
          const x = rect.cx + u * cos - v * sin - 0.5;
          const y = rect.cy + u * sin + v * cos - 0.5;
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) continue;
          const fx = x - x0;
          const fy = y - y0;
          const rgb = [0, 0, 0];
          const tap = (px: number, py: number, w: number) => {
            if (px < 0 || py < 0 || px >= width || py >= height) return;
            for (let c = 0; c < 3; c++) rgb[c] = rgb[c]! + data[(py * width + px) * 4 + c]! * w;
          };
          tap(x0, y0, (1 - fx) * (1 - fy));
          tap(x0 + 1, y0, fx * (1 - fy));
          tap(x0, y0 + 1, (1 - fx) * fy);
          tap(x0 + 1, y0 + 1, fx * fy);
          for (let c = 0; c < 3; c++) acc[c] = acc[c]! + rgb[c]!;
        }
      }
      for (let c = 0; c < 3; c++) out[o + c] = acc[c]! * inv * scale + add;
      o += 3;
    }
  }
  return out;
}

describe('sampleCrop', () => {
  const width = 97;
  const height = 83;
  const data = new Uint8Array(width * height * 4);
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    data[i] = seed % 256;
  }
  const frame = { width, height, data };

  it('equals the plain per-sample sampler bit for bit (rotated, flipped, supersampled, off the frame)', () => {
    const cases: Array<[RotatedRect, number, boolean]> = [
      [{ cx: 48.3, cy: 40.1, size: 30.7, angle: 0 }, 16, false],
      [{ cx: 10.2, cy: 75.9, size: 64.4, angle: 0.3 }, 8, false],
      [{ cx: -20, cy: 5, size: 50, angle: -1.1 }, 12, true],
      [{ cx: 50, cy: 40, size: 300, angle: 2.5 }, 64, false],
      [{ cx: 60, cy: 30, size: 90, angle: 0 }, 20, true],
    ];
    for (const [rect, outSize, flipX] of cases) {
      for (const range of [UNIT_RANGE, SIGNED_RANGE]) {
        const got = new Float32Array(outSize * outSize * 3 + 5);
        sampleCrop(frame, rect, outSize, got, 5, range, flipX);
        const want = referenceCrop(frame, rect, outSize, range.scale, range.offset, flipX);
        expect(Array.from(got.subarray(5))).toEqual(Array.from(want));
      }
    }
  });
});
