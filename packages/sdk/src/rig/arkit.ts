/**
 * The 52 ARKit face blendshape names (`ARFaceAnchor.BlendShapeLocation` raw values), in the order Live
 * Link Face uses for its CSV columns and UDP packets. `Left`/`Right` are the subject's own sides.
 */
export const ARKIT_BLENDSHAPES = Object.freeze([
  'eyeBlinkLeft',
  'eyeLookDownLeft',
  'eyeLookInLeft',
  'eyeLookOutLeft',
  'eyeLookUpLeft',
  'eyeSquintLeft',
  'eyeWideLeft',
  'eyeBlinkRight',
  'eyeLookDownRight',
  'eyeLookInRight',
  'eyeLookOutRight',
  'eyeLookUpRight',
  'eyeSquintRight',
  'eyeWideRight',
  'jawForward',
  'jawRight',
  'jawLeft',
  'jawOpen',
  'mouthClose',
  'mouthFunnel',
  'mouthPucker',
  'mouthRight',
  'mouthLeft',
  'mouthSmileLeft',
  'mouthSmileRight',
  'mouthFrownLeft',
  'mouthFrownRight',
  'mouthDimpleLeft',
  'mouthDimpleRight',
  'mouthStretchLeft',
  'mouthStretchRight',
  'mouthRollLower',
  'mouthRollUpper',
  'mouthShrugLower',
  'mouthShrugUpper',
  'mouthPressLeft',
  'mouthPressRight',
  'mouthLowerDownLeft',
  'mouthLowerDownRight',
  'mouthUpperUpLeft',
  'mouthUpperUpRight',
  'browDownLeft',
  'browDownRight',
  'browInnerUp',
  'browOuterUpLeft',
  'browOuterUpRight',
  'cheekPuff',
  'cheekSquintLeft',
  'cheekSquintRight',
  'noseSneerLeft',
  'noseSneerRight',
  'tongueOut',
] as const);

/** One ARKit blendshape name. */
export type ArkitBlendshape = (typeof ARKIT_BLENDSHAPES)[number];

/** ARKit weights by name, each in [0, 1]. */
export type ArkitWeights = Record<ArkitBlendshape, number>;

/** The blendshape with Left and Right swapped (the same name for unpaired ones). */
export function mirrorArkitName(name: ArkitBlendshape): ArkitBlendshape {
  if (name.endsWith('Left')) return `${name.slice(0, -4)}Right` as ArkitBlendshape;
  if (name.endsWith('Right')) return `${name.slice(0, -5)}Left` as ArkitBlendshape;
  // mouthLeft/jawLeft (moves toward a side) mirror like the paired shapes; the rest have no side.
  return name;
}
