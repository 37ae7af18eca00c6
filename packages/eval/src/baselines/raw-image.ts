/** A small raw image: `size x size` pixels, 1 (gray) or 3 (RGB) channels, row-major. */
export interface RawImage {
  readonly size: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** Bilinear resize of a square raw image (pixel centres aligned, as tf.image.resizeBilinear with half pixels). */
export function resizeRaw(img: RawImage, size: number): RawImage {
  if (img.size === size) return img;
  const { channels: c, size: s } = img;
  const out = new Uint8Array(size * size * c);
  const scale = s / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(s - 1, Math.max(0, (y + 0.5) * scale - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(s - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(s - 1, Math.max(0, (x + 0.5) * scale - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(s - 1, x0 + 1);
      const wx = fx - x0;
      for (let k = 0; k < c; k++) {
        const a = img.data[(y0 * s + x0) * c + k]!;
        const b = img.data[(y0 * s + x1) * c + k]!;
        const d = img.data[(y1 * s + x0) * c + k]!;
        const e = img.data[(y1 * s + x1) * c + k]!;
        const v = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
        out[(y * size + x) * c + k] = Math.round(v);
      }
    }
  }
  return { size, channels: c, data: out };
}

/** Expands a raw image to RGBA (gray replicated), e.g. for the face embedder. */
export function rawToRgba(img: RawImage): { width: number; height: number; data: Uint8Array } {
  const n = img.size * img.size;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) out[i * 4 + k] = img.data[i * img.channels + (img.channels === 3 ? k : 0)]!;
    out[i * 4 + 3] = 255;
  }
  return { width: img.size, height: img.size, data: out };
}
