import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core/layout';

/** A unit quaternion `(x, y, z, w)`. */
export interface Quaternion {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly w: number;
}

/** Head orientation and estimated gaze of one frame. */
export interface HeadPose {
  /** The descriptor's angles, radians (pitch > 0: face tilts down; yaw > 0: face turns to the image left = the subject's right; roll > 0: clockwise on screen). */
  readonly pitch: number;
  readonly yaw: number;
  readonly roll: number;
  /**
   * Head rotation in the glTF / VRM / three.js frame (right-handed, x to the viewer's right, y up,
   * z toward the viewer; a VRM 1.0 avatar faces +z): the same on-screen motion as the source video
   * (not mirrored).
   */
  readonly rotation: Quaternion;
}

/** Eye gaze relative to the head, radians: yaw > 0 toward the subject's left, pitch > 0 up. */
export interface Gaze {
  readonly yaw: number;
  readonly pitch: number;
}

/** The identity rotation. */
export const IDENTITY_QUATERNION: Quaternion = Object.freeze({ x: 0, y: 0, z: 0, w: 1 });

function multiply(a: Quaternion, b: Quaternion): Quaternion {
  return {
    x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
    y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
    z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
    w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
  };
}

/** `q^t` for t in [0, 1]: the same axis, `t` of the angle (slerp from identity). */
export function scaleRotation(q: Quaternion, t: number): Quaternion {
  const w = Math.max(-1, Math.min(1, q.w));
  const sign = w < 0 ? -1 : 1; // shortest arc
  const half = Math.acos(w * sign);
  const s = Math.sin(half);
  if (s < 1e-9) return IDENTITY_QUATERNION;
  const k = (Math.sin(half * t) / s) * sign;
  return { x: q.x * k, y: q.y * k, z: q.z * k, w: Math.cos(half * t) };
}

/**
 * Head pose of a descriptor. The descriptor's rotation is `R = Rz(roll) Ry(yaw) Rx(pitch)` in the
 * camera frame (x right, y down, z into the image, docs/face-model.md); the glTF frame is that frame
 * turned 180° about x, so `q_gltf = (x, -y, -z, w)` of the camera-frame quaternion.
 */
export function headPose(descriptor: Float32Array): HeadPose {
  if (descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new RangeError(`expected ${DESCRIPTOR_LENGTH} descriptor values, got ${descriptor.length}`);
  }
  const r0 = DescriptorField.rotation.start;
  return headPoseFromAngles(descriptor[r0]!, descriptor[r0 + 1]!, descriptor[r0 + 2]!);
}

/** Head pose from the descriptor's angles (radians; conventions in {@link HeadPose}). */
export function headPoseFromAngles(pitch: number, yaw: number, roll: number): HeadPose {
  const qx = { x: Math.sin(pitch / 2), y: 0, z: 0, w: Math.cos(pitch / 2) };
  const qy = { x: 0, y: Math.sin(yaw / 2), z: 0, w: Math.cos(yaw / 2) };
  const qz = { x: 0, y: 0, z: Math.sin(roll / 2), w: Math.cos(roll / 2) };
  const c = multiply(qz, multiply(qy, qx));
  return { pitch, yaw, roll, rotation: { x: c.x, y: -c.y, z: -c.z, w: c.w } };
}

/**
 * Gaze when the subject looks at the camera: the 468-vertex mesh has no irises, so the descriptor
 * carries no gaze; talking-head video mostly looks into the lens, so the eyes counter-rotate the head
 * (the camera direction in the head frame), limited to `limit` radians per axis.
 */
export function cameraGaze(pose: HeadPose, limit: number): Gaze {
  // Camera direction from the face in the camera frame is (0, 0, -1); in head (canonical) coordinates
  // it is R^T (0, 0, -1) = -(third row of R).
  const [cx, sx] = [Math.cos(pose.pitch), Math.sin(pose.pitch)];
  const [cy, sy] = [Math.cos(pose.yaw), Math.sin(pose.yaw)];
  // Third row of R = (-sy, cy sx, cy cx): roll does not move the camera direction.
  const dx = sy;
  const dy = -cy * sx;
  const dz = -cy * cx;
  // Canonical x points to the subject's left; y points down.
  const clamp = (a: number) => Math.max(-limit, Math.min(limit, a));
  return { yaw: clamp(Math.atan2(dx, -dz)), pitch: clamp(Math.atan2(-dy, Math.hypot(dx, dz))) };
}
