/**
 * A square region of the source image, possibly rotated: the crops fed to the detector, mesh and iris
 * models are all described this way, so one transform maps model outputs back to source pixels.
 */
export interface RotatedRect {
  /** Centre x in source pixels. */
  readonly cx: number;
  /** Centre y in source pixels. */
  readonly cy: number;
  /** Side length in source pixels. */
  readonly size: number;
  /** Rotation in radians of the crop's x axis in image coordinates (y down: positive = clockwise). */
  readonly angle: number;
}

/**
 * Maps a point given in crop pixels (crop side `cropSize`) to source pixels. With `flipX` the crop was
 * mirrored horizontally when sampled, so x is mirrored back first.
 * Writes into `out` (x, y) to avoid allocation in per-point loops.
 */
export function cropToSource(
  rect: RotatedRect,
  cropSize: number,
  px: number,
  py: number,
  out: Float64Array,
  flipX = false,
): void {
  const s = rect.size / cropSize;
  const u = ((flipX ? cropSize - px : px) - cropSize / 2) * s;
  const v = (py - cropSize / 2) * s;
  const c = Math.cos(rect.angle);
  const n = Math.sin(rect.angle);
  out[0] = rect.cx + u * c - v * n;
  out[1] = rect.cy + u * n + v * c;
}

/** An axis-aligned rect covering the whole frame, centred, square (letterboxed). */
export function frameRect(width: number, height: number): RotatedRect {
  return { cx: width / 2, cy: height / 2, size: Math.max(width, height), angle: 0 };
}
