import type { FaceBox } from '../types.js';

/** BlazeFace keypoint order (subject's left/right: the right eye appears on the image's left). */
export const DETECTOR_KEYPOINTS = {
  rightEye: 0,
  leftEye: 1,
  noseTip: 2,
  mouth: 3,
  rightEarTragion: 4,
  leftEarTragion: 5,
} as const;

/** Number of detector keypoints. */
export const DETECTOR_KEYPOINT_COUNT = 6;

/** One face found by the detector, before the mesh. */
export interface FaceDetection {
  /** Axis-aligned face box in source pixels (eyebrows to chin, roughly). */
  readonly box: FaceBox;
  /** Confidence in [0, 1]. */
  readonly score: number;
  /** `DETECTOR_KEYPOINT_COUNT` (x, y) pairs in source pixels, order as in `DETECTOR_KEYPOINTS`. */
  readonly keypoints: Float32Array;
}
