import { DETECTOR_KEYPOINTS, type FaceDetection } from '../detect/face-detection.js';
import type { RotatedRect } from '../detect/rotated-rect.js';
import type { FaceBox } from '../types.js';

/** Mesh indices whose line gives the in-plane rotation (subject's right and left outer eye corners). */
const ROLL_FROM = 33;
const ROLL_TO = 263;

/**
 * The mesh crop for a detection: centred on the box, side `scale` times its longer edge, rotated so the
 * eyes are level (MediaPipe's detection-to-ROI rule).
 */
export function roiFromDetection(detection: FaceDetection, scale: number): RotatedRect {
  const { box, keypoints: k } = detection;
  const re = DETECTOR_KEYPOINTS.rightEye * 2;
  const le = DETECTOR_KEYPOINTS.leftEye * 2;
  return {
    cx: box.x + box.width / 2,
    cy: box.y + box.height / 2,
    size: Math.max(box.width, box.height) * scale,
    angle: Math.atan2(k[le + 1]! - k[re + 1]!, k[le]! - k[re]!),
  };
}

/** The mesh crop for a given face box and roll angle (no detector). */
export function roiFromBox(box: FaceBox, scale: number, angle: number): RotatedRect {
  return {
    cx: box.x + box.width / 2,
    cy: box.y + box.height / 2,
    size: Math.max(box.width, box.height) * scale,
    angle,
  };
}

/**
 * The mesh crop re-derived from a mesh (MediaPipe's landmarks-to-ROI rule): roll from the eye corners,
 * centre and size from the landmarks' bounding box measured in the rolled frame.
 */
export function roiFromMesh(mesh: Float32Array, pointCount: number, scale: number): RotatedRect {
  const angle = Math.atan2(
    mesh[ROLL_TO * 3 + 1]! - mesh[ROLL_FROM * 3 + 1]!,
    mesh[ROLL_TO * 3]! - mesh[ROLL_FROM * 3]!,
  );
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  let minU = Number.POSITIVE_INFINITY;
  let maxU = Number.NEGATIVE_INFINITY;
  let minV = Number.POSITIVE_INFINITY;
  let maxV = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < pointCount; i++) {
    const x = mesh[i * 3]!;
    const y = mesh[i * 3 + 1]!;
    const u = x * c + y * s;
    const v = -x * s + y * c;
    if (u < minU) minU = u;
    if (u > maxU) maxU = u;
    if (v < minV) minV = v;
    if (v > maxV) maxV = v;
  }
  const mu = (minU + maxU) / 2;
  const mv = (minV + maxV) / 2;
  return {
    cx: mu * c - mv * s,
    cy: mu * s + mv * c,
    size: Math.max(maxU - minU, maxV - minV) * scale,
    angle,
  };
}

/** Axis-aligned bounding box of the first `pointCount` mesh points. */
export function meshBoundingBox(mesh: Float32Array, pointCount: number): FaceBox {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < pointCount; i++) {
    const x = mesh[i * 3]!;
    const y = mesh[i * 3 + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
