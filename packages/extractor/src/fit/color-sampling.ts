import type { RgbaFrame } from '../types.js';

/**
 * Samples RGB at `count` points (x, y in pixels, pixel centres at integer + 0.5 as in image
 * coordinates where (0, 0) is the top-left corner) bilinearly, writing values in [0, 1] to `out`
 * (`count * 3`). Points outside the frame get NaN so the fit can ignore them.
 */
export function sampleColors(
  frame: RgbaFrame,
  points: ArrayLike<number>,
  stride: number,
  count: number,
  out: Float64Array,
): void {
  const { width, height, data } = frame;
  for (let i = 0; i < count; i++) {
    const x = (points[i * stride] as number) - 0.5;
    const y = (points[i * stride + 1] as number) - 0.5;
    if (!(x >= -0.5 && y >= -0.5 && x <= width - 0.5 && y <= height - 0.5)) {
      out[i * 3] = Number.NaN;
      out[i * 3 + 1] = Number.NaN;
      out[i * 3 + 2] = Number.NaN;
      continue;
    }
    const x0 = Math.max(0, Math.min(width - 1, Math.floor(x)));
    const y0 = Math.max(0, Math.min(height - 1, Math.floor(y)));
    const x1 = Math.min(width - 1, x0 + 1);
    const y1 = Math.min(height - 1, y0 + 1);
    const fx = Math.max(0, Math.min(1, x - x0));
    const fy = Math.max(0, Math.min(1, y - y0));
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    const p00 = (y0 * width + x0) * 4;
    const p10 = (y0 * width + x1) * 4;
    const p01 = (y1 * width + x0) * 4;
    const p11 = (y1 * width + x1) * 4;
    for (let c = 0; c < 3; c++) {
      out[i * 3 + c] =
        (w00 * (data[p00 + c] as number) +
          w10 * (data[p10 + c] as number) +
          w01 * (data[p01 + c] as number) +
          w11 * (data[p11 + c] as number)) /
        255;
    }
  }
}
