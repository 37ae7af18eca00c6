/**
 * The face-mesh vertices the rig measures (MediaPipe 468-vertex topology, the face model's). Sides are
 * the subject's own: `right` = the subject's right = image left in a non-mirrored camera frame, which is
 * also how ARKit (`eyeBlinkRight`) and VRM (`blinkRight`) name sides.
 */
export const RigLandmark = Object.freeze({
  eyeRightOuter: 33,
  eyeRightInner: 133,
  eyeLeftOuter: 263,
  eyeLeftInner: 362,
  /** Upper/lower lid pairs across each eye, outer to inner (the usual eye-aspect-ratio points). */
  eyeRightUpper: [160, 159, 158],
  eyeRightLower: [144, 145, 153],
  eyeLeftUpper: [387, 386, 385],
  eyeLeftLower: [373, 374, 380],
  /** Brow upper edge, inner / middle / outer. */
  browRightInner: 107,
  browRightMid: 105,
  browRightOuter: 70,
  browLeftInner: 336,
  browLeftMid: 334,
  browLeftOuter: 300,
  noseBridge: 168,
  noseTip: 1,
  noseBottom: 2,
  /** Nose wings (alae), for sneer. */
  noseWingRight: 129,
  noseWingLeft: 358,
  lipUpperOuter: 0,
  lipUpperInner: 13,
  lipLowerInner: 14,
  lipLowerOuter: 17,
  mouthCornerRight: 61,
  mouthCornerLeft: 291,
  /** Upper lip outer edge halfway to each corner (upper lip raise). */
  lipUpperRight: 40,
  lipUpperLeft: 270,
  /** Lower lip outer edge halfway to each corner (lower lip down). */
  lipLowerRight: 91,
  lipLowerLeft: 321,
  /** Cheek surface beside the mouth (puff, squint). */
  cheekRight: 205,
  cheekLeft: 425,
  chin: 152,
  forehead: 10,
});

/** Every vertex the rig reads, sorted, no repeats: the rows a {@link FaceRigModel} keeps. */
export const RIG_VERTICES: readonly number[] = Object.freeze(
  [...new Set(Object.values(RigLandmark).flatMap((v) => (typeof v === 'number' ? [v] : [...v])))].sort(
    (a, b) => a - b,
  ),
);
