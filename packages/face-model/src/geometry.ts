/**
 * Geometry of the face model's canonical frame (x to the image right, y down, z into the image;
 * right-handed): head rotation angles, vertex normals, SH irradiance shading.
 */

/**
 * Writes the row-major rotation `R = Rz(roll) · Ry(yaw) · Rx(pitch)` (radians, applied to canonical
 * points) into `out` (9). pitch > 0: the face tilts down (the nose tip moves down the image); yaw > 0:
 * the face turns toward the image left; roll > 0: clockwise as seen on screen. A horizontal mirror
 * `x -> -x` maps `R` to `M R M` with `M = diag(-1, 1, 1)`: yaw and roll negate, pitch stays.
 */
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
  const r20 = Math.max(-1, Math.min(1, r[6]!));
  const yaw = Math.asin(-r20);
  let pitch: number;
  let roll: number;
  if (Math.abs(r20) < 1 - 1e-9) {
    pitch = Math.atan2(r[7]!, r[8]!);
    roll = Math.atan2(r[3]!, r[0]!);
  } else {
    // Gimbal lock: only pitch ∓ roll is defined; put it all into pitch.
    roll = 0;
    pitch = Math.atan2(-r[5]!, r[4]!);
  }
  out[offset] = pitch;
  out[offset + 1] = yaw;
  out[offset + 2] = roll;
}

/**
 * Unit vertex normals of a triangle mesh (area-weighted face normals), written into `out`
 * (`vertexCount * 3`). Vertices on no triangle get (0, 0, 0).
 */
export function vertexNormals(
  positions: ArrayLike<number>,
  vertexCount: number,
  triangles: Uint16Array | Uint32Array,
  out: Float64Array,
): Float64Array {
  out.fill(0, 0, vertexCount * 3);
  for (let f = 0; f < triangles.length; f += 3) {
    const a = triangles[f]! * 3;
    const b = triangles[f + 1]! * 3;
    const c = triangles[f + 2]! * 3;
    const ax = positions[a]!;
    const ay = positions[a + 1]!;
    const az = positions[a + 2]!;
    const ux = positions[b]! - ax;
    const uy = positions[b + 1]! - ay;
    const uz = positions[b + 2]! - az;
    const vx = positions[c]! - ax;
    const vy = positions[c + 1]! - ay;
    const vz = positions[c + 2]! - az;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    accumulate(out, a, nx, ny, nz);
    accumulate(out, b, nx, ny, nz);
    accumulate(out, c, nx, ny, nz);
  }
  for (let i = 0; i < vertexCount * 3; i += 3) {
    const x = out[i]!;
    const y = out[i + 1]!;
    const z = out[i + 2]!;
    const len = Math.sqrt(x * x + y * y + z * z);
    if (len > 0) {
      out[i] = x / len;
      out[i + 1] = y / len;
      out[i + 2] = z / len;
    }
  }
  return out;
}

function accumulate(out: Float64Array, i: number, nx: number, ny: number, nz: number): void {
  out[i] = out[i]! + nx;
  out[i + 1] = out[i + 1]! + ny;
  out[i + 2] = out[i + 2]! + nz;
}

/** Number of real SH irradiance functions (bands 0-2) per colour channel. */
export const SH_BANDS = 9;

const A0 = Math.PI;
const A1 = (2 * Math.PI) / Math.sqrt(3);
const A2 = (2 * Math.PI) / Math.sqrt(8);
const C0 = 1 / Math.sqrt(4 * Math.PI);
const C1 = Math.sqrt(3) / Math.sqrt(4 * Math.PI);
const C2 = (3 * Math.sqrt(5)) / Math.sqrt(12 * Math.PI);

/** Value of the constant band: a lighting vector with only `γ_0 = 1 / SH_DC` shades every normal with 1. */
export const SH_DC = A0 * C0;

/**
 * Writes the 9 SH irradiance basis values (Lambertian constants folded in, as in Deep3DFaceRecon) for
 * unit camera-frame normal (nx, ny, nz) at `out[offset..offset+9)`. Shading of one channel = Σ_k γ_k H_k(n).
 */
export function shBasis(nx: number, ny: number, nz: number, out: Float64Array, offset: number): void {
  out[offset] = A0 * C0;
  out[offset + 1] = -A1 * C1 * ny;
  out[offset + 2] = A1 * C1 * nz;
  out[offset + 3] = -A1 * C1 * nx;
  out[offset + 4] = A2 * C2 * nx * ny;
  out[offset + 5] = -A2 * C2 * ny * nz;
  out[offset + 6] = ((A2 * C2 * 0.5) / Math.sqrt(3)) * (3 * nz * nz - 1);
  out[offset + 7] = -A2 * C2 * nx * nz;
  out[offset + 8] = A2 * C2 * 0.5 * (nx * nx - ny * ny);
}

/** `out += Σ_i coef[coefOffset + i] · rows[i]` over `count` rows of `cols` (zero coefficients skipped). */
export function addCombination(
  rows: Float32Array | Float64Array,
  count: number,
  cols: number,
  coef: ArrayLike<number>,
  coefOffset: number,
  out: Float64Array,
): void {
  for (let i = 0; i < count; i++) {
    const c = coef[coefOffset + i]!;
    if (c === 0) continue;
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j] = out[j]! + c * rows[o + j]!;
  }
}
