import { InvalidFrameError } from '../errors.js';
import type { RgbaFrame } from '../types.js';

/**
 * Checks that `frame` is a well-formed RGBA frame: positive integer dimensions and exactly
 * `width * height * 4` bytes. Returns the same frame so it can wrap an expression.
 * @throws InvalidFrameError (SEMFACE_ERR_INVALID_FRAME)
 */
export function validateRgbaFrame(frame: RgbaFrame): RgbaFrame {
  if (frame === null || typeof frame !== 'object') {
    throw new InvalidFrameError('frame must be an object with width, height and data');
  }
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new InvalidFrameError(`frame size must be positive integers, got ${width}x${height}`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new InvalidFrameError('frame data must be a Uint8Array or Uint8ClampedArray');
  }
  const expected = width * height * 4;
  if (data.length !== expected) {
    throw new InvalidFrameError(
      `frame data has ${data.length} bytes, expected ${expected} for ${width}x${height} RGBA`,
    );
  }
  return frame;
}

/** Wraps raw RGBA bytes as a frame after validating their length. */
export function rgbaFrame(width: number, height: number, data: Uint8Array | Uint8ClampedArray): RgbaFrame {
  return validateRgbaFrame({ width, height, data });
}
