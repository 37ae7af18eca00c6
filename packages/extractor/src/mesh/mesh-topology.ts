/**
 * Index tables of the MediaPipe face-mesh topology used by the iris refinement.
 * "Right"/"left" are the subject's: the right eye (corners 33/133) appears on the image's left.
 * Tables follow MediaPipe's face mesh / iris landmark definitions (as listed in @vladmandic/human).
 */

/** Eye-region contours of one eye, in the order the iris model's 71 contour points use them. */
interface EyeContours {
  readonly EyeUpper0: readonly number[];
  readonly EyeLower0: readonly number[];
  readonly EyeUpper1: readonly number[];
  readonly EyeLower1: readonly number[];
  readonly EyeUpper2: readonly number[];
  readonly EyeLower2: readonly number[];
  readonly EyeLower3: readonly number[];
  readonly EyebrowUpper: readonly number[];
  readonly EyebrowLower: readonly number[];
}

/** Mesh indices of the subject's right-eye contours. */
export const RIGHT_EYE: EyeContours = {
  EyeUpper0: [246, 161, 160, 159, 158, 157, 173],
  EyeLower0: [33, 7, 163, 144, 145, 153, 154, 155, 133],
  EyeUpper1: [247, 30, 29, 27, 28, 56, 190],
  EyeLower1: [130, 25, 110, 24, 23, 22, 26, 112, 243],
  EyeUpper2: [113, 225, 224, 223, 222, 221, 189],
  EyeLower2: [226, 31, 228, 229, 230, 231, 232, 233, 244],
  EyeLower3: [143, 111, 117, 118, 119, 120, 121, 128, 245],
  EyebrowUpper: [156, 70, 63, 105, 66, 107, 55, 193],
  EyebrowLower: [35, 124, 46, 53, 52, 65],
};

/** Mesh indices of the subject's left-eye contours. */
export const LEFT_EYE: EyeContours = {
  EyeUpper0: [466, 388, 387, 386, 385, 384, 398],
  EyeLower0: [263, 249, 390, 373, 374, 380, 381, 382, 362],
  EyeUpper1: [467, 260, 259, 257, 258, 286, 414],
  EyeLower1: [359, 255, 339, 254, 253, 252, 256, 341, 463],
  EyeUpper2: [342, 445, 444, 443, 442, 441, 413],
  EyeLower2: [446, 261, 448, 449, 450, 451, 452, 453, 464],
  EyeLower3: [372, 340, 346, 347, 348, 349, 350, 357, 465],
  EyebrowUpper: [383, 300, 293, 334, 296, 336, 285, 417],
  EyebrowLower: [265, 353, 276, 283, 282, 295],
};

/** For each contour, the iris model's output indices (of its 71 contour points) in contour order. */
export const IRIS_MODEL_CONTOURS: ReadonlyArray<{ key: keyof EyeContours; indices: readonly number[] }> = [
  { key: 'EyeUpper0', indices: [9, 10, 11, 12, 13, 14, 15] },
  { key: 'EyeUpper1', indices: [25, 26, 27, 28, 29, 30, 31] },
  { key: 'EyeUpper2', indices: [41, 42, 43, 44, 45, 46, 47] },
  { key: 'EyeLower0', indices: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
  { key: 'EyeLower1', indices: [16, 17, 18, 19, 20, 21, 22, 23, 24] },
  { key: 'EyeLower2', indices: [32, 33, 34, 35, 36, 37, 38, 39, 40] },
  { key: 'EyeLower3', indices: [54, 55, 56, 57, 58, 59, 60, 61, 62] },
  { key: 'EyebrowUpper', indices: [63, 64, 65, 66, 67, 68, 69, 70] },
  { key: 'EyebrowLower', indices: [48, 49, 50, 51, 52, 53] },
];

/** Iris model output: 71 eye-contour points, then 5 iris points (centre, then four on the rim). */
export const IRIS_MODEL_POINTS = 76;
export const IRIS_MODEL_CONTOUR_POINTS = 71;
export const IRIS_POINTS = 5;

/**
 * First index of each eye's 5 iris points in the 478-point mesh, in MediaPipe's refined-landmark order:
 * 468-472 the subject's right iris, 473-477 the left.
 */
export const RIGHT_IRIS_START = 468;
export const LEFT_IRIS_START = 473;

/** Mesh indices of the eye corners (outer, inner) that frame the iris crops. */
export const RIGHT_EYE_CORNERS = [33, 133] as const;
export const LEFT_EYE_CORNERS = [263, 362] as const;
