import type { FaceBox, RgbaFrame } from '../types.js';

/** Side of the square RGB image the face recognition network reads, in pixels. */
export const EMBED_INPUT_SIZE = 150 as const;

/** Floats per network input: 150 x 150 x RGB. */
export const EMBED_INPUT_LENGTH = EMBED_INPUT_SIZE * EMBED_INPUT_SIZE * 3;

/** An integer pixel rectangle inside a frame. */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Clips a box to the frame the way face-api's `Box.clipAtImageBorders` does (then floors it).
 * Returns null when nothing of the box lies inside the frame.
 */
export function clipBoxToFrame(box: FaceBox, frameWidth: number, frameHeight: number): PixelRect | null {
  const x = Math.max(box.x, 0);
  const y = Math.max(box.y, 0);
  const width = Math.min(box.x + box.width - x, frameWidth - x);
  const height = Math.min(box.y + box.height - y, frameHeight - y);
  const r = { x: Math.floor(x), y: Math.floor(y), width: Math.floor(width), height: Math.floor(height) };
  return r.width > 0 && r.height > 0 ? r : null;
}

/**
 * Writes face-api's network input for the region `rect` of `frame` into `out` at `offset`: the region
 * padded with black to a square (centred, the odd pixel after), then resized to 150x150 with tfjs'
 * `resizeBilinear` (alignCorners = false, halfPixelCenters = false). Values are RGB in 0..255,
 * row-major [150, 150, 3]. Matching this exactly is what keeps the descriptor equal to face-api's.
 */
export function writeNetInput(frame: RgbaFrame, rect: PixelRect, out: Float32Array, offset: number): void {
  const { data } = frame;
  const stride = frame.width * 4;
  const side = Math.max(rect.width, rect.height);
  const diff = side - Math.min(rect.width, rect.height);
  // padToSquare(isCenterImage=true): round(diff/2) appended, the rest prepended
  const before = diff - Math.round(diff * 0.5);
  const padX = rect.width < rect.height ? before : 0;
  const padY = rect.height < rect.width ? before : 0;
  const scale = side / EMBED_INPUT_SIZE;

  // Source column offsets (byte index in a row, or -1 for padding) and weights per output column.
  const x0 = new Int32Array(EMBED_INPUT_SIZE);
  const x1 = new Int32Array(EMBED_INPUT_SIZE);
  const fx = new Float64Array(EMBED_INPUT_SIZE);
  for (let c = 0; c < EMBED_INPUT_SIZE; c++) {
    const src = c * scale;
    const lo = Math.floor(src);
    const hi = Math.min(side - 1, Math.ceil(src));
    fx[c] = src - lo;
    x0[c] = columnByte(lo - padX, rect);
    x1[c] = columnByte(hi - padX, rect);
  }
  let o = offset;
  for (let r = 0; r < EMBED_INPUT_SIZE; r++) {
    const src = r * scale;
    const lo = Math.floor(src);
    const hi = Math.min(side - 1, Math.ceil(src));
    const fy = src - lo;
    const row0 = rowByte(lo - padY, rect, stride);
    const row1 = rowByte(hi - padY, rect, stride);
    for (let c = 0; c < EMBED_INPUT_SIZE; c++) {
      const a = x0[c]!;
      const b = x1[c]!;
      const wx = fx[c]!;
      for (let ch = 0; ch < 3; ch++) {
        const tl = row0 < 0 || a < 0 ? 0 : data[row0 + a + ch]!;
        const tr = row0 < 0 || b < 0 ? 0 : data[row0 + b + ch]!;
        const bl = row1 < 0 || a < 0 ? 0 : data[row1 + a + ch]!;
        const br = row1 < 0 || b < 0 ? 0 : data[row1 + b + ch]!;
        const top = tl + (tr - tl) * wx;
        const bottom = bl + (br - bl) * wx;
        out[o++] = top + (bottom - top) * fy;
      }
    }
  }
}

function columnByte(col: number, rect: PixelRect): number {
  return col < 0 || col >= rect.width ? -1 : (rect.x + col) * 4;
}

function rowByte(row: number, rect: PixelRect, stride: number): number {
  return row < 0 || row >= rect.height ? -1 : (rect.y + row) * stride;
}
