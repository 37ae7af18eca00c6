import type { ArkitWeights } from './arkit.js';
import { type Gaze, type HeadPose, type Quaternion, scaleRotation } from './head-pose.js';

/** VRM 1.0 expression presets the rig drives (`VRMC_vrm.expressions.preset`). */
export const VRM_EXPRESSIONS = Object.freeze([
  'aa',
  'ih',
  'ou',
  'ee',
  'oh',
  'blink',
  'blinkLeft',
  'blinkRight',
  'happy',
  'angry',
  'sad',
  'relaxed',
  'surprised',
  'lookUp',
  'lookDown',
  'lookLeft',
  'lookRight',
] as const);

/** One VRM 1.0 preset name. */
export type VrmExpression = (typeof VRM_EXPRESSIONS)[number];

/** VRM preset weights, each in [0, 1]. */
export type VrmExpressionWeights = Record<VrmExpression, number>;

/** VRM pose of one frame. */
export interface VrmRig {
  readonly expressions: VrmExpressionWeights;
  /** Local rotations of the normalized humanoid `neck` and `head` bones (glTF frame); neck x head = the head pose. */
  readonly neck: Quaternion;
  readonly head: Quaternion;
  /** Gaze for `VRMLookAt`, degrees: yaw > 0 toward the avatar's left, pitch > 0 up. */
  readonly lookAt: { readonly yaw: number; readonly pitch: number };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * VRM 1.0 presets from ARKit weights. Visemes: `aa` jaw open, `oh` funnel, `ou` pucker, `ee` lips
 * stretched, `ih` lips apart and stretched a little; an open rounded mouth counts as `oh`, not `aa`.
 * `blink` carries what both eyes share, `blinkLeft`/`blinkRight` the rest (VRM adds them, so each eye
 * closes by its own ARKit blink). Emotions are the usual FACS combinations. Look weights come from the
 * ARKit look weights (eyes move together).
 */
export function vrmFromArkit(a: ArkitWeights, pose: HeadPose, gaze: Gaze, neckShare: number): VrmRig {
  const smile = (a.mouthSmileLeft + a.mouthSmileRight) / 2;
  const frown = (a.mouthFrownLeft + a.mouthFrownRight) / 2;
  const stretch = (a.mouthStretchLeft + a.mouthStretchRight) / 2;
  const browDown = (a.browDownLeft + a.browDownRight) / 2;
  const browUp = (a.browInnerUp + (a.browOuterUpLeft + a.browOuterUpRight) / 2) / 2;
  const wide = (a.eyeWideLeft + a.eyeWideRight) / 2;
  const squint = (a.eyeSquintLeft + a.eyeSquintRight) / 2;
  const round = Math.max(a.mouthFunnel, a.mouthPucker);
  const both = Math.min(a.eyeBlinkLeft, a.eyeBlinkRight);
  const neck = scaleRotation(pose.rotation, neckShare);
  const head = scaleRotation(pose.rotation, 1 - neckShare);
  return {
    expressions: {
      aa: clamp01(a.jawOpen * (1 - round)),
      ih: clamp01(Math.min(a.jawOpen, 0.5) * stretch * 2),
      ou: clamp01(a.mouthPucker),
      ee: clamp01(stretch * (1 - round)),
      oh: clamp01(a.mouthFunnel),
      blink: both,
      blinkLeft: clamp01(a.eyeBlinkLeft - both),
      blinkRight: clamp01(a.eyeBlinkRight - both),
      happy: clamp01(smile),
      angry: clamp01(browDown * (1 - smile)),
      sad: clamp01((frown + a.browInnerUp) / 2 - smile),
      relaxed: clamp01(smile * squint),
      surprised: clamp01((browUp + wide + a.jawOpen) / 3),
      lookUp: a.eyeLookUpLeft,
      lookDown: a.eyeLookDownLeft,
      lookLeft: a.eyeLookOutLeft,
      lookRight: a.eyeLookOutRight,
    },
    neck,
    head,
    lookAt: { yaw: (gaze.yaw * 180) / Math.PI, pitch: (gaze.pitch * 180) / Math.PI },
  };
}
