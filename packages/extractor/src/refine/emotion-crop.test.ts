import { describe, expect, it } from 'vitest';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import type { FaceBox, RgbaFrame } from '../types.js';
import { EMOTION_CROP_SCALE, EMOTION_INPUT_SIZE, writeEmotionInput } from './emotion-crop.js';

const N = EMOTION_INPUT_SIZE;
const { scale, centreShift } = REFINEMENT_SPEC.emotion.crop;

/** A black frame with the pixels of `square` in `rgb`. */
function frameWithSquare(
  width: number,
  height: number,
  square: FaceBox,
  rgb: readonly [number, number, number] = [255, 255, 255],
): RgbaFrame {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const inside =
        x >= square.x && x < square.x + square.width && y >= square.y && y < square.y + square.height;
      data.set(inside ? [rgb[0], rgb[1], rgb[2], 255] : [0, 0, 0, 255], p);
    }
  }
  return { width, height, data };
}

/** Brightness-weighted area and centroid (pixel-index coordinates) of an emotion input in [-1, 1]. */
function moments(x: Float32Array): { area: number; cx: number; cy: number } {
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) {
      const w = (x[j * N + i]! + 1) / 2;
      area += w;
      sx += w * i;
      sy += w * j;
    }
  }
  return { area, cx: sx / area, cy: sy / area };
}

describe('emotion crop (contracts/expression-refinement.json)', () => {
  it('exports the contract values', () => {
    expect(EMOTION_CROP_SCALE).toBe(scale);
    expect(EMOTION_INPUT_SIZE).toBe(REFINEMENT_SPEC.emotion.inputSize);
  });

  it('is the square of side scale x max(w, h) centred centreShift x h below the box centre', () => {
    // A 60 px bright square inside a taller face box: the crop side follows the height, and where
    // the square lands in the crop gives the crop's centre and size.
    const square = { x: 100, y: 90, width: 60, height: 60 };
    const box = { x: 96, y: 80, width: 72, height: 90 };
    const frame = frameWithSquare(256, 256, square);
    const out = new Float32Array(N * N);
    writeEmotionInput(frame, box, out, 0);

    const side = scale * Math.max(box.width, box.height);
    const left = box.x + box.width / 2 - side / 2;
    const top = box.y + box.height * (0.5 + centreShift) - side / 2;
    const step = side / N;
    const m = moments(out);
    // Output pixel i's centre sits at left + (i + 0.5) x step in the frame.
    expect(m.cx).toBeCloseTo((square.x + square.width / 2 - left) / step - 0.5, 1);
    expect(m.cy).toBeCloseTo((square.y + square.height / 2 - top) / step - 0.5, 1);
    // Side of the bright region in output pixels (a crop 5 % too small or large is off by 0.05).
    expect(Math.sqrt(m.area) / (square.width / step)).toBeCloseTo(1, 2);
    // White is 1, black -1 (gray weights sum to ~1, range [-1, 1]).
    expect(Math.max(...out)).toBeCloseTo(1, 3);
    expect(Math.min(...out)).toBe(-1);
  });

  it('writes gray with the contract weights at the given offset, and reads outside the frame as black', () => {
    const box = { x: 0, y: 0, width: 40, height: 40 };
    const frame = frameWithSquare(40, 40, box, [255, 0, 0]);
    const out = new Float32Array(2 * N * N).fill(7);
    writeEmotionInput(frame, box, out, N * N);
    expect(out.subarray(0, N * N).every((v) => v === 7)).toBe(true);
    const crop = out.subarray(N * N);
    const [lo, hi] = REFINEMENT_SPEC.emotion.inputRange;
    const red = lo + (hi - lo) * REFINEMENT_SPEC.emotion.gray[0];
    // The centre is inside the red frame; the crop (1.05 x the box) reaches past the frame's edges.
    expect(crop[(N / 2) * N + N / 2]).toBeCloseTo(red, 5);
    expect(crop[0]).toBe(lo);
    expect(crop[N * N - 1]).toBe(lo);
  });
});
