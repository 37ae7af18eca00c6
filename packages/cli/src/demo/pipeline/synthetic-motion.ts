import { DescriptorField } from '@semface/codec-core';

/** Peak amplitudes of {@link addSyntheticMotion}. */
export const SYNTHETIC_MOTION = Object.freeze({
  /** Head yaw, radians. */
  yaw: 0.3,
  /** Head pitch, radians. */
  pitch: 0.12,
  /** Head roll, radians. */
  roll: 0.06,
  /** First expression coefficients, in prior standard deviations. */
  expression: [1.6, 1.2, 0.9] as readonly number[],
});

/**
 * Adds slow head turns and expression changes to a still photo's descriptor (in place), so the
 * avatar of a photo slideshow moves. `tSeconds` is the time since the demo started.
 */
export function addSyntheticMotion(descriptor: Float32Array, tSeconds: number): Float32Array {
  const w = (period: number, phase = 0) => Math.sin((2 * Math.PI * tSeconds) / period + phase);
  const r = DescriptorField.rotation.start;
  descriptor[r]! += SYNTHETIC_MOTION.pitch * w(3.1);
  descriptor[r + 1]! += SYNTHETIC_MOTION.yaw * w(4.3);
  descriptor[r + 2]! += SYNTHETIC_MOTION.roll * w(5.7);
  const e = DescriptorField.expression.start;
  SYNTHETIC_MOTION.expression.forEach((a, i) => {
    descriptor[e + i]! += a * w(1.3 + 0.7 * i, i);
  });
  return descriptor;
}
