import type { RigFrame } from './face-rig.js';
import { type OscMessage, oscFloat } from './osc-message.js';

/** Default address prefix of VRChat avatar parameters in VRCFaceTracking's v2 (Unified Expressions) naming. */
export const VRCHAT_V2_PREFIX = '/avatar/parameters/v2/';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * VRChat OSC face-tracking parameters of one frame, the VRCFaceTracking v2 / Unified Expressions
 * subset the rig measures (floats; 0..1 unless noted): EyeLidLeft/Right (0 closed, 0.75 open, 1
 * wide), EyeLeftX/EyeRightX/EyeY (-1..1, +x = the subject's right, +y = up), eye squint, brows,
 * cheeks, nose, jaw (JawX -1..1), mouth (MouthX -1..1, SmileFrownLeft/Right -1 frown..1 smile),
 * lips. Parameters an avatar lacks are ignored by VRChat.
 */
export function vrchatMessages(
  frame: RigFrame,
  gazeRangeRad: number,
  prefix = VRCHAT_V2_PREFIX,
): OscMessage[] {
  const a = frame.arkit;
  const lid = (blink: number, wide: number) => clamp(0.75 * (1 - blink) + 0.25 * wide, 0, 1);
  const x = clamp(-frame.gaze.yaw / gazeRangeRad, -1, 1);
  const y = clamp(frame.gaze.pitch / gazeRangeRad, -1, 1);
  const params: [string, number][] = [
    ['EyeLidLeft', lid(a.eyeBlinkLeft, a.eyeWideLeft)],
    ['EyeLidRight', lid(a.eyeBlinkRight, a.eyeWideRight)],
    ['EyeLeftX', x],
    ['EyeRightX', x],
    ['EyeY', y],
    ['EyeSquintLeft', a.eyeSquintLeft],
    ['EyeSquintRight', a.eyeSquintRight],
    ['BrowInnerUp', a.browInnerUp],
    ['BrowOuterUpLeft', a.browOuterUpLeft],
    ['BrowOuterUpRight', a.browOuterUpRight],
    ['BrowDownLeft', a.browDownLeft],
    ['BrowDownRight', a.browDownRight],
    ['CheekPuffSuck', a.cheekPuff],
    ['CheekSquintLeft', a.cheekSquintLeft],
    ['CheekSquintRight', a.cheekSquintRight],
    ['NoseSneerLeft', a.noseSneerLeft],
    ['NoseSneerRight', a.noseSneerRight],
    ['JawOpen', a.jawOpen],
    ['JawX', clamp(a.jawRight - a.jawLeft, -1, 1)],
    ['JawForward', a.jawForward],
    ['MouthClosed', a.mouthClose],
    ['LipFunnel', a.mouthFunnel],
    ['LipPucker', a.mouthPucker],
    ['MouthX', clamp(a.mouthRight - a.mouthLeft, -1, 1)],
    ['SmileFrownLeft', clamp(a.mouthSmileLeft - a.mouthFrownLeft, -1, 1)],
    ['SmileFrownRight', clamp(a.mouthSmileRight - a.mouthFrownRight, -1, 1)],
    ['MouthStretchLeft', a.mouthStretchLeft],
    ['MouthStretchRight', a.mouthStretchRight],
    ['MouthDimpleLeft', a.mouthDimpleLeft],
    ['MouthDimpleRight', a.mouthDimpleRight],
    ['MouthUpperUpLeft', a.mouthUpperUpLeft],
    ['MouthUpperUpRight', a.mouthUpperUpRight],
    ['MouthLowerDownLeft', a.mouthLowerDownLeft],
    ['MouthLowerDownRight', a.mouthLowerDownRight],
    ['MouthPressLeft', a.mouthPressLeft],
    ['MouthPressRight', a.mouthPressRight],
    ['MouthRaiserUpper', a.mouthShrugUpper],
    ['MouthRaiserLower', a.mouthShrugLower],
    ['LipSuckUpper', a.mouthRollUpper],
    ['LipSuckLower', a.mouthRollLower],
  ];
  return params.map(([name, value]) => ({ address: `${prefix}${name}`, args: [oscFloat(value)] }));
}
