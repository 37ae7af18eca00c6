import type { FaceRigModel } from './face-rig-model.js';
import { RigLandmark as L } from './landmarks.js';

/**
 * Geometric measures of one face, taken on the canonical (unposed) rebuilt mesh, so head pose does not
 * enter. Lengths are divided by the outer-eye-corner distance of the same mesh (inter-ocular
 * distance, IOD) and heights are y differences (canonical y points down), so each is unit-free and
 * most are linear in the expression coefficients. `Right`/`Left` are the subject's sides.
 */
export interface FaceMeasures {
  /** Eye aspect ratio: mean lid-to-lid distance of 3 pairs / eye width (≈0 closed). */
  eyeOpenRight: number;
  eyeOpenLeft: number;
  /** Lower lid height above the eye-corner line, IOD (squint raises it). */
  lowerLidRight: number;
  lowerLidLeft: number;
  /** Brow heights above the eye-corner line, IOD: inner, middle, outer. */
  browInnerRight: number;
  browInnerLeft: number;
  browMidRight: number;
  browMidLeft: number;
  browOuterRight: number;
  browOuterLeft: number;
  /** Inner-lip gap (lower inner lip below upper inner lip), IOD; ≈0 with closed lips. */
  lipGap: number;
  /** Nose bottom to chin, IOD (jaw drop, whatever the lips do). */
  jawDrop: number;
  /** Chin left of the nose (subject's left), IOD. */
  jawShiftLeft: number;
  /** Chin depth in front of the nose bottom, IOD (canonical z into the image, so negated). */
  jawForward: number;
  /** Corner-to-corner mouth width, IOD. */
  mouthWidth: number;
  /** Mouth-corner height above the nose bottom's level, IOD (negative: corners below the nose; smile raises them). */
  cornerUpRight: number;
  cornerUpLeft: number;
  /** Mouth-corner distance from the face midline (nose bottom), IOD. */
  cornerOutRight: number;
  cornerOutLeft: number;
  /** Mouth centre left of the nose (subject's left), IOD. */
  mouthShiftLeft: number;
  /** Lip thickness (vermilion height), IOD; rolling the lips in thins them. */
  upperLipThickness: number;
  lowerLipThickness: number;
  /** Upper-lip height above the nose bottom halfway to each corner, IOD (raise = upper lip up). */
  upperLipUpRight: number;
  upperLipUpLeft: number;
  /** Lower-lip height below the nose bottom halfway to each corner, IOD (lower lip down = larger). */
  lowerLipDownRight: number;
  lowerLipDownLeft: number;
  /** Lips forward of the nose bottom, IOD (pucker/funnel push them out). */
  lipsForward: number;
  /** Nose-wing height above the eye-corner line (negative, below; sneer raises it), IOD. */
  noseWingUpRight: number;
  noseWingUpLeft: number;
  /** Cheek distance from the midline beside the mouth, IOD (puff). */
  cheekOutRight: number;
  cheekOutLeft: number;
}

/** Names of the measures, in a fixed order (plots, tables, tests). */
export const FACE_MEASURE_NAMES = Object.freeze([
  'eyeOpenRight',
  'eyeOpenLeft',
  'lowerLidRight',
  'lowerLidLeft',
  'browInnerRight',
  'browInnerLeft',
  'browMidRight',
  'browMidLeft',
  'browOuterRight',
  'browOuterLeft',
  'lipGap',
  'jawDrop',
  'jawShiftLeft',
  'jawForward',
  'mouthWidth',
  'cornerUpRight',
  'cornerUpLeft',
  'cornerOutRight',
  'cornerOutLeft',
  'mouthShiftLeft',
  'upperLipThickness',
  'lowerLipThickness',
  'upperLipUpRight',
  'upperLipUpLeft',
  'lowerLipDownRight',
  'lowerLipDownLeft',
  'lipsForward',
  'noseWingUpRight',
  'noseWingUpLeft',
  'cheekOutRight',
  'cheekOutLeft',
] as const satisfies readonly (keyof FaceMeasures)[]);

/**
 * Measures of the face a descriptor describes (its expression coefficients; see {@link FaceRigModel}).
 * `scratch` avoids an allocation per frame.
 */
export function measureFace(
  model: FaceRigModel,
  descriptor: Float32Array,
  scratch?: Float64Array,
): FaceMeasures {
  return measureShape(model, model.shape(descriptor, scratch));
}

/** Measures of a canonical shape at the rig model's vertices (`model.vertices.length * 3`, model units). */
export function measureShape(model: FaceRigModel, p: Float64Array): FaceMeasures {
  if (p.length !== model.mean.length) {
    throw new RangeError(`expected ${model.mean.length} shape values, got ${p.length}`);
  }
  const at = (v: number, c: number) => p[model.row(v) * 3 + c]!;
  const x = (v: number) => at(v, 0);
  const y = (v: number) => at(v, 1);
  const z = (v: number) => at(v, 2);
  const dist = (a: number, b: number) => Math.hypot(x(a) - x(b), y(a) - y(b), z(a) - z(b));
  const iod = dist(L.eyeRightOuter, L.eyeLeftOuter);
  const eyeOpen = (upper: readonly number[], lower: readonly number[], outer: number, inner: number) => {
    let s = 0;
    for (let i = 0; i < upper.length; i++) s += dist(upper[i]!, lower[i]!);
    return s / upper.length / dist(outer, inner);
  };
  // Heights are taken against each eye's corner line, which expressions barely move (brows, lids and
  // cheeks move around it), and against the nose bottom for the mouth (the upper jaw is rigid).
  const eyeLineRight = (y(L.eyeRightOuter) + y(L.eyeRightInner)) / 2;
  const eyeLineLeft = (y(L.eyeLeftOuter) + y(L.eyeLeftInner)) / 2;
  const up = (v: number, line: number) => (line - y(v)) / iod;
  const nose = L.noseBottom;
  // Canonical x points to the image right, where the subject's left side is (non-mirrored frame).
  return {
    eyeOpenRight: eyeOpen(L.eyeRightUpper, L.eyeRightLower, L.eyeRightOuter, L.eyeRightInner),
    eyeOpenLeft: eyeOpen(L.eyeLeftUpper, L.eyeLeftLower, L.eyeLeftOuter, L.eyeLeftInner),
    lowerLidRight: up(L.eyeRightLower[1]!, eyeLineRight),
    lowerLidLeft: up(L.eyeLeftLower[1]!, eyeLineLeft),
    browInnerRight: up(L.browRightInner, eyeLineRight),
    browInnerLeft: up(L.browLeftInner, eyeLineLeft),
    browMidRight: up(L.browRightMid, eyeLineRight),
    browMidLeft: up(L.browLeftMid, eyeLineLeft),
    browOuterRight: up(L.browRightOuter, eyeLineRight),
    browOuterLeft: up(L.browLeftOuter, eyeLineLeft),
    lipGap: (y(L.lipLowerInner) - y(L.lipUpperInner)) / iod,
    jawDrop: (y(L.chin) - y(nose)) / iod,
    jawShiftLeft: (x(L.chin) - x(nose)) / iod,
    jawForward: (z(nose) - z(L.chin)) / iod,
    mouthWidth: dist(L.mouthCornerRight, L.mouthCornerLeft) / iod,
    cornerUpRight: up(L.mouthCornerRight, y(nose)),
    cornerUpLeft: up(L.mouthCornerLeft, y(nose)),
    cornerOutRight: (x(nose) - x(L.mouthCornerRight)) / iod,
    cornerOutLeft: (x(L.mouthCornerLeft) - x(nose)) / iod,
    mouthShiftLeft: ((x(L.mouthCornerRight) + x(L.mouthCornerLeft)) / 2 - x(nose)) / iod,
    upperLipThickness: (y(L.lipUpperInner) - y(L.lipUpperOuter)) / iod,
    lowerLipThickness: (y(L.lipLowerOuter) - y(L.lipLowerInner)) / iod,
    upperLipUpRight: up(L.lipUpperRight, y(nose)),
    upperLipUpLeft: up(L.lipUpperLeft, y(nose)),
    lowerLipDownRight: -up(L.lipLowerRight, y(nose)),
    lowerLipDownLeft: -up(L.lipLowerLeft, y(nose)),
    lipsForward: (z(nose) - (z(L.lipUpperOuter) + z(L.lipLowerOuter)) / 2) / iod,
    noseWingUpRight: up(L.noseWingRight, eyeLineRight),
    noseWingUpLeft: up(L.noseWingLeft, eyeLineLeft),
    cheekOutRight: (x(nose) - x(L.cheekRight)) / iod,
    cheekOutLeft: (x(L.cheekLeft) - x(nose)) / iod,
  };
}
