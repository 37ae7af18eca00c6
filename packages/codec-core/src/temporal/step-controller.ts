import { MOTION_STEP_UNIT } from './constants.js';

/** Settings of a {@link StepController}; validated by the stream encoder. */
export interface StepControlSettings {
  /** Target bit rate in bit/s (> 0). */
  readonly targetBitrate: number;
  /** Frames per second. */
  readonly frameRate: number;
  /** Largest step index (the ladder is {@link stepUnitsOf}). */
  readonly maxIndex: number;
}

/** Step of ladder index 0, in units of 1e-4 (0.05). */
export const STEP_LADDER_BASE_UNITS = 500;
/** Ladder indices per doubling of the step. */
export const STEP_LADDER_PER_OCTAVE = 4;
/** Highest ladder index whose step fits the u16 header field (6.4). */
export const STEP_LADDER_MAX_INDEX = 28;
/**
 * Bits per frame of the transform layer (packet byte included) at step 1 with the base rounding
 * offset, and the exponent of its fall with the step, measured on FER2013/LFW-fitted transforms over the
 * talking-head clips: bits ~= 64 * step^-0.75. Only the first guess depends on it.
 */
export const STEP_MODEL_BITS_AT_1 = 64;
export const STEP_MODEL_EXPONENT = 0.75;
/** Bits per frame assumed for key-frame and identity-layer overhead when guessing the first step. */
export const STEP_MODEL_OVERHEAD_BITS = 10;
/** Fraction of the log-rate error corrected at each key frame (damping). */
export const STEP_GAIN = 0.7;
/** Most ladder steps one key frame may move. */
export const STEP_MAX_MOVE = 6;

/** Step (units of 1e-4) of ladder index `k`: 0.05 x 2^(k/4), rounded. */
export function stepUnitsOf(k: number): number {
  return Math.round(STEP_LADDER_BASE_UNITS * 2 ** (k / STEP_LADDER_PER_OCTAVE));
}

/**
 * Chooses the transform layer's quantiser step once per group of pictures (the step is fixed between
 * key frames because the decoder's reference is held in step units). The first step comes from a rate
 * model; at each later key frame the ladder index moves by the damped log2 ratio of the last group's
 * rate to the target, divided by the model's log-rate change per ladder index. Deterministic.
 */
export class StepController {
  private index: number;
  private gopBits = 0;
  private gopFrames = 0;

  constructor(readonly settings: StepControlSettings) {
    const budget = Math.max(4, settings.targetBitrate / settings.frameRate - STEP_MODEL_OVERHEAD_BITS);
    const step = (budget / STEP_MODEL_BITS_AT_1) ** (-1 / STEP_MODEL_EXPONENT);
    this.index = this.clamp(
      Math.round(STEP_LADDER_PER_OCTAVE * Math.log2(step / (STEP_LADDER_BASE_UNITS * MOTION_STEP_UNIT))),
    );
  }

  private clamp(k: number): number {
    return Math.max(0, Math.min(this.settings.maxIndex, k));
  }

  /** Ladder index for the group of pictures that starts with this key frame. */
  keyFrameIndex(): number {
    if (this.gopFrames > 0 && this.gopBits > 0) {
      const rate = (this.gopBits / this.gopFrames) * this.settings.frameRate;
      const perIndex = STEP_MODEL_EXPONENT / STEP_LADDER_PER_OCTAVE;
      const move = Math.round((STEP_GAIN * Math.log2(rate / this.settings.targetBitrate)) / perIndex);
      this.index = this.clamp(this.index + Math.max(-STEP_MAX_MOVE, Math.min(STEP_MAX_MOVE, move)));
    }
    this.gopBits = 0;
    this.gopFrames = 0;
    return this.index;
  }

  /** Accounts one sent frame of `bits` bits. */
  record(bits: number): void {
    this.gopBits += bits;
    this.gopFrames++;
  }
}
