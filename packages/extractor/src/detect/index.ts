export { DETECTOR_KEYPOINTS, DETECTOR_KEYPOINT_COUNT, type FaceDetection } from './face-detection.js';
export type { RotatedRect } from './rotated-rect.js';
