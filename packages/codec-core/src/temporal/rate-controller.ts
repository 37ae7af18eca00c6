/** Settings of a {@link RateController}; validated by the stream encoder. */
export interface RateControlSettings {
  /** Target bit rate in bit/s; 0 turns rate control off (fixed rate point, base dead zone). */
  readonly targetBitrate: number;
  /** Frames per second the stream is sent at. */
  readonly frameRate: number;
  /** Rate indices available for the per-frame layer, ascending. */
  readonly rateIndices: readonly number[];
  /** Rate index of the first group of pictures. */
  readonly initialRateIndex: number;
  /** Dead zone used while the stream is within budget (latent steps). */
  readonly baseDeadZone: number;
  /** Largest dead zone the controller raises to when over budget (latent steps). */
  readonly maxDeadZone: number;
}

/** Above this fraction of the target, a group of pictures steps the rate point down at the next key frame. */
export const RATE_DOWN_FRACTION = 1.0;
/** Below this fraction of the target, it steps the rate point up. */
export const RATE_UP_FRACTION = 0.6;
/** Budget that may be banked while under target, in seconds of target rate. */
export const MAX_CREDIT_SECONDS = 0.5;
/**
 * Below this fraction of the full credit (bucket <= -fraction x {@link MAX_CREDIT_SECONDS} of target),
 * the dead zone drops one below the base: budget that would otherwise be left unused buys precision.
 */
export const LOW_DEAD_ZONE_CREDIT_FRACTION = 0.9;
/** Over-budget bits that raise the dead zone by one step, in seconds of target rate. */
export const DEAD_ZONE_STEP_SECONDS = 0.25;

/**
 * Rate control of a temporal stream (integer decisions, deterministic, encoder side only):
 * - at each key frame, the per-frame layer's rate point steps down one when the last group of pictures
 *   (key frame to key frame) ran above the target, and up one when it ran below 60 % of it;
 * - between key frames a leaky bucket (bits sent minus the per-frame budget, at most 0.5 s of credit)
 *   sets the dead zone: one below the base with at least 90 % of the credit banked, the base while
 *   within budget, +1 per 0.25 s of target rate in excess,
 *   up to the maximum. Residuals inside the dead zone are not sent; a frame with none left is a skip.
 */
export class RateController {
  private bucket = 0;
  private gopBits = 0;
  private gopFrames = 0;
  private rateIndex: number;

  constructor(readonly settings: RateControlSettings) {
    this.rateIndex = settings.initialRateIndex;
  }

  private get bitsPerFrame(): number {
    return this.settings.targetBitrate / this.settings.frameRate;
  }

  /** Rate index for the group of pictures that starts with this key frame. */
  keyFrameRateIndex(): number {
    const s = this.settings;
    if (s.targetBitrate > 0 && this.gopFrames > 0) {
      const rate = (this.gopBits / this.gopFrames) * s.frameRate;
      const i = s.rateIndices.indexOf(this.rateIndex);
      if (rate > s.targetBitrate * RATE_DOWN_FRACTION && i > 0) this.rateIndex = s.rateIndices[i - 1]!;
      else if (rate < s.targetBitrate * RATE_UP_FRACTION && i >= 0 && i < s.rateIndices.length - 1) {
        this.rateIndex = s.rateIndices[i + 1]!;
      }
    }
    this.gopBits = 0;
    this.gopFrames = 0;
    return this.rateIndex;
  }

  /** Dead zone for the next delta frame. */
  deadZone(): number {
    const s = this.settings;
    if (s.targetBitrate <= 0) return s.baseDeadZone;
    const credit = s.targetBitrate * MAX_CREDIT_SECONDS * LOW_DEAD_ZONE_CREDIT_FRACTION;
    if (this.bucket <= -credit) return Math.max(0, s.baseDeadZone - 1);
    if (this.bucket <= 0) return s.baseDeadZone;
    const step = s.targetBitrate * DEAD_ZONE_STEP_SECONDS;
    return Math.min(s.maxDeadZone, s.baseDeadZone + Math.ceil(this.bucket / step));
  }

  /** Accounts one sent frame of `bits` bits. */
  record(bits: number): void {
    this.gopBits += bits;
    this.gopFrames++;
    if (this.settings.targetBitrate <= 0) return;
    const floor = -this.settings.targetBitrate * MAX_CREDIT_SECONDS;
    this.bucket = Math.max(floor, this.bucket + bits - this.bitsPerFrame);
  }
}
