import type { ArkitWeights } from './arkit.js';
import type { FaceMeasures } from './face-measures.js';
import type { Gaze } from './head-pose.js';

/** Eye aspect ratio of a closed eye on the rebuilt mesh (the 1st percentile on the clips is 0.11-0.13). */
export const EYE_CLOSED_RATIO = 0.12;

/**
 * How much mouth measures move per unit of lip gap as the jaw opens, learned from the face model's
 * expression basis ({@link mouthCouplings}): opening the mouth lowers the corners and the lower lip on
 * its own, which must not read as a frown or a lowered lip.
 */
export interface MouthCouplings {
  readonly cornerUp: number;
  readonly cornerOut: number;
  readonly mouthWidth: number;
  readonly lowerLipDown: number;
  readonly jawDrop: number;
}

/** Inputs of {@link arkitFromMeasures} besides the measures. */
export interface ArkitMappingContext {
  /** The resting face's measures (zero activation). */
  readonly rest: FaceMeasures;
  /** The open-eye aspect ratio of this person (blink 0 / wide 0 there). */
  readonly eyeOpenRight: number;
  readonly eyeOpenLeft: number;
  readonly couplings: MouthCouplings;
  readonly gaze: Gaze;
  /** Gaze angle that gives weight 1, radians. */
  readonly gazeRange: number;
}

/** Sharpness of the soft clamp: weight ≈ ln 2 / KNEE ≈ 0.04 at zero activation. */
const KNEE = 16;

function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

/**
 * A soft clamp of `u` to [0, 1] (≈ u inside, smooth at both ends, strictly monotone): the weights
 * stay proportional to the measures they come from (a hard clamp would flatten every frame below rest
 * to one value) and never leave [0, 1].
 */
export function knee(u: number): number {
  const w = (softplus(KNEE * u) - softplus(KNEE * (u - 1))) / KNEE;
  return Math.min(1, Math.max(0, w));
}

const clamp01 = (u: number) => Math.min(1, Math.max(0, u));

/**
 * ARKit's 52 weights from face measures. Each weight is a soft-clamped, normalised displacement of one
 * or two measures from the resting face; the divisor (the "span") is the displacement that gives 1,
 * about the 2nd/98th percentile spread on the training clips. `tongueOut` is always 0 (the mesh has no
 * tongue); the eye-look weights come from the gaze estimate, hard-clamped so that a centred gaze is 0.
 */
export function arkitFromMeasures(m: FaceMeasures, c: ArkitMappingContext): ArkitWeights {
  const r = c.rest;
  const k = c.couplings;
  // Displacement of the lip gap from rest drives the jaw-opening couplings.
  const open = m.lipGap - r.lipGap;
  const cornerUpR = m.cornerUpRight - k.cornerUp * open;
  const cornerUpL = m.cornerUpLeft - k.cornerUp * open;
  const cornerOutR = m.cornerOutRight - k.cornerOut * open;
  const cornerOutL = m.cornerOutLeft - k.cornerOut * open;
  const width = m.mouthWidth - k.mouthWidth * open;
  const lowerDownR = m.lowerLipDownRight - k.lowerLipDown * open;
  const lowerDownL = m.lowerLipDownLeft - k.lowerLipDown * open;

  const jawOpen = knee(m.lipGap / 0.33);
  const lipsApart = knee(m.lipGap / 0.1);
  const narrowing = knee((r.mouthWidth - width) / 0.1);
  const smileU = (side: number, rest: number) => (side - rest) / 0.1;
  const squintU = (lid: number, rest: number) => (lid - rest) / 0.02;
  const blink = (ratio: number, ref: number) => knee((ref - ratio) / Math.max(0.05, ref - EYE_CLOSED_RATIO));
  const thickness = r.upperLipThickness + r.lowerLipThickness - m.upperLipThickness - m.lowerLipThickness;
  const gx = c.gaze.yaw / c.gazeRange;
  const gy = c.gaze.pitch / c.gazeRange;
  return {
    eyeBlinkLeft: blink(m.eyeOpenLeft, c.eyeOpenLeft),
    eyeLookDownLeft: clamp01(-gy),
    eyeLookInLeft: clamp01(-gx),
    eyeLookOutLeft: clamp01(gx),
    eyeLookUpLeft: clamp01(gy),
    eyeSquintLeft: knee(squintU(m.lowerLidLeft, r.lowerLidLeft)),
    eyeWideLeft: knee((m.eyeOpenLeft - c.eyeOpenLeft) / 0.12),
    eyeBlinkRight: blink(m.eyeOpenRight, c.eyeOpenRight),
    eyeLookDownRight: clamp01(-gy),
    eyeLookInRight: clamp01(gx),
    eyeLookOutRight: clamp01(-gx),
    eyeLookUpRight: clamp01(gy),
    eyeSquintRight: knee(squintU(m.lowerLidRight, r.lowerLidRight)),
    eyeWideRight: knee((m.eyeOpenRight - c.eyeOpenRight) / 0.12),
    jawForward: knee((m.jawForward - r.jawForward) / 0.06),
    jawRight: knee(-(m.jawShiftLeft - r.jawShiftLeft) / 0.035),
    jawLeft: knee((m.jawShiftLeft - r.jawShiftLeft) / 0.035),
    jawOpen,
    mouthClose: knee((m.jawDrop - r.jawDrop - k.jawDrop * open) / 0.08),
    mouthFunnel: narrowing * lipsApart,
    mouthPucker: narrowing * (1 - lipsApart),
    mouthRight: knee(-(m.mouthShiftLeft - r.mouthShiftLeft) / 0.04),
    mouthLeft: knee((m.mouthShiftLeft - r.mouthShiftLeft) / 0.04),
    mouthSmileLeft: knee(smileU(cornerUpL, r.cornerUpLeft)),
    mouthSmileRight: knee(smileU(cornerUpR, r.cornerUpRight)),
    mouthFrownLeft: knee(-smileU(cornerUpL, r.cornerUpLeft)),
    mouthFrownRight: knee(-smileU(cornerUpR, r.cornerUpRight)),
    mouthDimpleLeft: knee((cornerOutL - r.cornerOutLeft) / 0.15),
    mouthDimpleRight: knee((cornerOutR - r.cornerOutRight) / 0.15),
    // A smile pulls the corners out too: only the outward pull the smile does not explain is a stretch.
    mouthStretchLeft: knee(
      (cornerOutL - r.cornerOutLeft) / 0.1 - Math.max(0, smileU(cornerUpL, r.cornerUpLeft)),
    ),
    mouthStretchRight: knee(
      (cornerOutR - r.cornerOutRight) / 0.1 - Math.max(0, smileU(cornerUpR, r.cornerUpRight)),
    ),
    mouthRollLower: knee((r.lowerLipThickness - m.lowerLipThickness) / 0.035),
    mouthRollUpper: knee((r.upperLipThickness - m.upperLipThickness) / 0.03),
    mouthShrugLower: knee((r.lowerLipDownLeft + r.lowerLipDownRight - lowerDownL - lowerDownR) / 2 / 0.06),
    mouthShrugUpper:
      knee((m.upperLipUpLeft + m.upperLipUpRight - r.upperLipUpLeft - r.upperLipUpRight) / 2 / 0.09) *
      (1 - lipsApart),
    mouthPressLeft: knee(thickness / 0.05) * (1 - lipsApart),
    mouthPressRight: knee(thickness / 0.05) * (1 - lipsApart),
    mouthLowerDownLeft: knee((m.lowerLipDownLeft - r.lowerLipDownLeft) / 0.22),
    mouthLowerDownRight: knee((m.lowerLipDownRight - r.lowerLipDownRight) / 0.22),
    mouthUpperUpLeft: knee((m.upperLipUpLeft - r.upperLipUpLeft) / 0.09),
    mouthUpperUpRight: knee((m.upperLipUpRight - r.upperLipUpRight) / 0.09),
    browDownLeft: knee((r.browInnerLeft + r.browMidLeft - m.browInnerLeft - m.browMidLeft) / 2 / 0.065),
    browDownRight: knee((r.browInnerRight + r.browMidRight - m.browInnerRight - m.browMidRight) / 2 / 0.065),
    browInnerUp: knee((m.browInnerLeft + m.browInnerRight - r.browInnerLeft - r.browInnerRight) / 2 / 0.06),
    browOuterUpLeft: knee((m.browOuterLeft - r.browOuterLeft) / 0.055),
    browOuterUpRight: knee((m.browOuterRight - r.browOuterRight) / 0.055),
    cheekPuff: knee((m.cheekOutLeft + m.cheekOutRight - r.cheekOutLeft - r.cheekOutRight) / 2 / 0.06),
    cheekSquintLeft: knee(
      0.5 * squintU(m.lowerLidLeft, r.lowerLidLeft) + 0.5 * smileU(cornerUpL, r.cornerUpLeft),
    ),
    cheekSquintRight: knee(
      0.5 * squintU(m.lowerLidRight, r.lowerLidRight) + 0.5 * smileU(cornerUpR, r.cornerUpRight),
    ),
    noseSneerLeft: knee((m.noseWingUpLeft - r.noseWingUpLeft) / 0.055),
    noseSneerRight: knee((m.noseWingUpRight - r.noseWingUpRight) / 0.055),
    tongueOut: 0,
  };
}
