import type { FaceMeasures } from './face-measures.js';

/**
 * A resting face's measures: the median of each measure over the 2,735 frames of the face model's 12
 * training clips (docs/face-model.md; the 3 held-out clips left out), left and right averaged so that
 * a mirrored face gives exactly mirrored weights. Not the model's mean shape: that averages LFW photos,
 * many of them smiling, so its mouth is wider and more open than a face at rest.
 * Recomputed with `node scripts/measure-rig.mjs --rest` after retraining the face model.
 */
export const REST_FACE: Readonly<FaceMeasures> = Object.freeze({
  eyeOpenRight: 0.337,
  eyeOpenLeft: 0.337,
  lowerLidRight: -0.0385,
  lowerLidLeft: -0.0385,
  browInnerRight: 0.242,
  browInnerLeft: 0.242,
  browMidRight: 0.271,
  browMidLeft: 0.271,
  browOuterRight: 0.179,
  browOuterLeft: 0.179,
  lipGap: 0.072,
  jawDrop: 0.797,
  jawShiftLeft: 0,
  jawForward: -0.29,
  mouthWidth: 0.586,
  cornerUpRight: -0.262,
  cornerUpLeft: -0.262,
  cornerOutRight: 0.293,
  cornerOutLeft: 0.293,
  mouthShiftLeft: 0,
  upperLipThickness: 0.0764,
  lowerLipThickness: 0.1217,
  upperLipUpRight: -0.21,
  upperLipUpLeft: -0.21,
  lowerLipDownRight: 0.348,
  lowerLipDownLeft: 0.348,
  lipsForward: -0.041,
  noseWingUpRight: -0.425,
  noseWingUpLeft: -0.425,
  cheekOutRight: 0.464,
  cheekOutLeft: 0.464,
});
