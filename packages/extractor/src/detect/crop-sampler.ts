import type { RgbaFrame } from '../types.js';
import type { RotatedRect } from './rotated-rect.js';

/** Linear map applied to 0..255 channel values: `value * scale + offset`. */
export interface PixelRange {
  readonly scale: number;
  readonly offset: number;
}

/** [0, 255] -> [0, 1] (mesh and iris models). */
export const UNIT_RANGE: PixelRange = Object.freeze({ scale: 1 / 255, offset: 0 });
/** [0, 255] -> [-1, 1] (detector). */
export const SIGNED_RANGE: PixelRange = Object.freeze({ scale: 2 / 255, offset: -1 });

/** Most sub-samples per axis when shrinking; bounds the cost on very large frames. */
const MAX_SUPERSAMPLE = 4;

/** Sample positions of the last crops, reused: a 192x192 mesh crop has 36,864 of them per frame. */
let scratchX = new Float64Array(0);
let scratchY = new Float64Array(0);

/**
 * Samples a rotated square region of an RGBA frame into an NHWC float RGB tensor of side `outSize`,
 * starting at `out[offset]`. Bilinear; pixels outside the frame read as black (like the reference
 * crop-and-resize). When the region is much larger than the output, each output pixel averages a
 * k x k grid of bilinear samples so that small faces in large frames are not aliased away.
 */
export function sampleCrop(
  frame: RgbaFrame,
  rect: RotatedRect,
  outSize: number,
  out: Float32Array,
  offset: number,
  range: PixelRange,
  flipX = false,
): void {
  const step = rect.size / outSize;
  const k = Math.min(MAX_SUPERSAMPLE, Math.max(1, Math.round(step / 1.5)));
  const cos = Math.cos(rect.angle);
  const sin = Math.sin(rect.angle);
  const half = rect.size / 2;
  const n = outSize * outSize * k * k;
  if (scratchX.length < n) {
    scratchX = new Float64Array(n);
    scratchY = new Float64Array(n);
  }
  const xs = scratchX;
  const ys = scratchY;
  // Positions first (output pixel by pixel, then its k x k samples row by row), taps in one tight loop
  // below: a call per tap made the sampler several times slower.
  let t = 0;
  for (let j = 0; j < outSize; j++) {
    for (let i = 0; i < outSize; i++) {
      const ii = flipX ? outSize - 1 - i : i;
      for (let sy = 0; sy < k; sy++) {
        const v = (j + (sy + 0.5) / k) * step - half;
        for (let sx = 0; sx < k; sx++) {
          const u = (ii + (sx + 0.5) / k) * step - half;
          // -0.5: pixel centres sit at integer + 0.5 in continuous coordinates.
          xs[t] = rect.cx + u * cos - v * sin - 0.5;
          ys[t] = rect.cy + u * sin + v * cos - 0.5;
          t++;
        }
      }
    }
  }
  accumulateBilinear(frame, xs, ys, outSize * outSize, k * k, out, offset, range);
}

/**
 * For each of `pixels` output pixels, the mean of its `taps` bilinear samples at (xs, ys) (consecutive),
 * mapped by `range`, written as RGB at `out[offset ..]`. Samples outside the frame read as black.
 */
function accumulateBilinear(
  frame: RgbaFrame,
  xs: Float64Array,
  ys: Float64Array,
  pixels: number,
  taps: number,
  out: Float32Array,
  offset: number,
  range: PixelRange,
): void {
  const { width, height, data } = frame;
  const inv = 1 / taps;
  let t = 0;
  let o = offset;
  for (let p = 0; p < pixels; p++) {
    let accR = 0;
    let accG = 0;
    let accB = 0;
    for (const end = t + taps; t < end; t++) {
      const x = xs[t]!;
      const y = ys[t]!;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) continue;
      const fx = x - x0;
      const fy = y - y0;
      const inX0 = x0 >= 0;
      const inX1 = x0 + 1 < width;
      const inY0 = y0 >= 0;
      const inY1 = y0 + 1 < height;
      let r = 0;
      let g = 0;
      let b = 0;
      if (inY0) {
        const row = y0 * width;
        if (inX0) {
          const w = (1 - fx) * (1 - fy);
          const q = (row + x0) * 4;
          r += data[q]! * w;
          g += data[q + 1]! * w;
          b += data[q + 2]! * w;
        }
        if (inX1) {
          const w = fx * (1 - fy);
          const q = (row + x0 + 1) * 4;
          r += data[q]! * w;
          g += data[q + 1]! * w;
          b += data[q + 2]! * w;
        }
      }
      if (inY1) {
        const row = (y0 + 1) * width;
        if (inX0) {
          const w = (1 - fx) * fy;
          const q = (row + x0) * 4;
          r += data[q]! * w;
          g += data[q + 1]! * w;
          b += data[q + 2]! * w;
        }
        if (inX1) {
          const w = fx * fy;
          const q = (row + x0 + 1) * 4;
          r += data[q]! * w;
          g += data[q + 1]! * w;
          b += data[q + 2]! * w;
        }
      }
      accR += r;
      accG += g;
      accB += b;
    }
    out[o] = accR * inv * range.scale + range.offset;
    out[o + 1] = accG * inv * range.scale + range.offset;
    out[o + 2] = accB * inv * range.scale + range.offset;
    o += 3;
  }
}
