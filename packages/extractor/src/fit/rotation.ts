/**
 * Head rotation as three angles in radians, in the canonical face frame
 * (x to the image right, y down, z into the image; right-handed):
 * `R = Rz(roll) · Ry(yaw) · Rx(pitch)`, applied to canonical model points.
 *
 * - pitch > 0: the face tilts down (the nose tip moves down the image);
 * - yaw > 0: the face turns toward the image left (the nose moves left);
 * - roll > 0: the face rotates clockwise as seen on screen.
 *
 * A horizontal mirror `x -> -x` maps `R` to `M R M` with `M = diag(-1, 1, 1)`, which negates yaw and
 * roll and keeps pitch.
 */

/** Writes the row-major rotation for (pitch, yaw, roll) into `out` (9). */
export function rotationFromAngles(
  pitch: number,
  yaw: number,
  roll: number,
  out: Float64Array,
): Float64Array {
  const cx = Math.cos(pitch);
  const sx = Math.sin(pitch);
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cz = Math.cos(roll);
  const sz = Math.sin(roll);
  out[0] = cz * cy;
  out[1] = cz * sy * sx - sz * cx;
  out[2] = cz * sy * cx + sz * sx;
  out[3] = sz * cy;
  out[4] = sz * sy * sx + cz * cx;
  out[5] = sz * sy * cx - cz * sx;
  out[6] = -sy;
  out[7] = cy * sx;
  out[8] = cy * cx;
  return out;
}

/** Extracts (pitch, yaw, roll) from a row-major rotation into `out` (3). Yaw is in [-π/2, π/2]. */
export function anglesFromRotation(r: Float64Array, out: Float64Array | Float32Array, offset = 0): void {
  const r20 = Math.max(-1, Math.min(1, r[6] as number));
  const yaw = Math.asin(-r20);
  let pitch: number;
  let roll: number;
  if (Math.abs(r20) < 1 - 1e-9) {
    pitch = Math.atan2(r[7] as number, r[8] as number);
    roll = Math.atan2(r[3] as number, r[0] as number);
  } else {
    // Gimbal lock: only pitch ∓ roll is defined; put it all into pitch.
    roll = 0;
    pitch = Math.atan2(-(r[5] as number), r[4] as number);
  }
  out[offset] = pitch;
  out[offset + 1] = yaw;
  out[offset + 2] = roll;
}
