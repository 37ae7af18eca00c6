import type { DetectedFace, FaceBox } from '../types.js';

/**
 * Mesh vertices standing in for the 68-point (iBUG/dlib) landmarks face-api aligns with: the common
 * MediaPipe -> dlib correspondence. Eyes are the subject's (the right eye is on the image's left).
 */
export const ALIGNMENT_MESH_POINTS = Object.freeze({
  /** dlib 36-41. */
  rightEye: Object.freeze([33, 160, 158, 133, 153, 144]),
  /** dlib 42-47. */
  leftEye: Object.freeze([362, 385, 387, 263, 373, 380]),
  /** dlib 48-67: outer lip contour, then inner. */
  mouth: Object.freeze([
    61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181, 78, 82, 13, 312, 308, 317, 14, 87,
  ]),
});

/** face-api's `alignDlib` constants: face size relative to eye-mouth distance, reference point position. */
const REL_SCALE = 0.45;
const REL_X = 0.5;
const REL_Y = 0.43;

interface Point {
  x: number;
  y: number;
}

/**
 * The box face-api crops for its descriptor (`FaceLandmarks.align(null, { useDlibAlignment: true })`),
 * computed from the face mesh instead of face-api's 68 landmarks: side = mean eye-to-mouth distance / 0.45,
 * placed so the centroid of (eye, eye, mouth) centres sits at (0.5, 0.43) of the box. Axis-aligned, no
 * rotation (as face-api). Integer pixels; may extend past the frame (the crop pads it).
 */
export function alignedFaceBox(face: DetectedFace, frameWidth: number, frameHeight: number): FaceBox {
  const rightEye = centroid(face.mesh, ALIGNMENT_MESH_POINTS.rightEye);
  const leftEye = centroid(face.mesh, ALIGNMENT_MESH_POINTS.leftEye);
  const mouth = centroid(face.mesh, ALIGNMENT_MESH_POINTS.mouth);
  return alignedBoxFromCentres(rightEye, leftEye, mouth, frameWidth, frameHeight);
}

/** face-api's `alignDlib` given the two eye centres and the mouth centre in pixels. */
export function alignedBoxFromCentres(
  eyeA: Point,
  eyeB: Point,
  mouth: Point,
  frameWidth: number,
  frameHeight: number,
): FaceBox {
  const eyeToMouth =
    (Math.hypot(mouth.x - eyeA.x, mouth.y - eyeA.y) + Math.hypot(mouth.x - eyeB.x, mouth.y - eyeB.y)) / 2;
  const size = Math.floor(eyeToMouth / REL_SCALE);
  const refX = (eyeA.x + eyeB.x + mouth.x) / 3;
  const refY = (eyeA.y + eyeB.y + mouth.y) / 3;
  const x = Math.floor(Math.max(0, refX - REL_X * size));
  const y = Math.floor(Math.max(0, refY - REL_Y * size));
  return { x, y, width: Math.min(size, frameWidth + x), height: Math.min(size, frameHeight + y) };
}

function centroid(mesh: Float32Array, indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += mesh[i * 3]!;
    y += mesh[i * 3 + 1]!;
  }
  return { x: x / indices.length, y: y / indices.length };
}
