import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';

const { alpha } = REFINEMENT_SPEC.emotion.videoSmoothing;

/**
 * The tracking path's filter on a face's emotion log-probabilities (contract `emotion.videoSmoothing`):
 * an exponential moving average, `s = alpha * v + (1 - alpha) * s`, restarted with the track. The image
 * network's decision flickers on a still face (sensor noise moves the crop); the average halves the
 * label changes at a mean lag of (1 - alpha) / alpha frames (one frame at the contract's 0.5).
 */
export class EmotionSmoother {
  private state: Float32Array | undefined;

  /** Smooths one face's values in place (the first call after {@link reset} passes them through). */
  apply(values: Float32Array): Float32Array {
    const s = this.state;
    if (s === undefined || s.length !== values.length) {
      this.state = Float32Array.from(values);
      return values;
    }
    for (let i = 0; i < values.length; i++) {
      s[i] = Math.fround(alpha * values[i]!) + Math.fround((1 - alpha) * s[i]!);
      values[i] = s[i]!;
    }
    return values;
  }

  /** Forgets the track: the next frame starts a new average. */
  reset(): void {
    this.state = undefined;
  }
}
