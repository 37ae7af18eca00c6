/**
 * Real spherical-harmonics irradiance basis, bands 0-2 (9 functions), with the Lambertian
 * convolution constants folded in (as in Deep3DFaceRecon), evaluated on unit normals in the
 * camera frame (x right, y down, z into the image). Shading of one channel = Σ_k γ_k · H_k(n).
 */

/** Number of SH functions per colour channel. */
export const SH_BANDS = 9;

const A0 = Math.PI;
const A1 = (2 * Math.PI) / Math.sqrt(3);
const A2 = (2 * Math.PI) / Math.sqrt(8);
const C0 = 1 / Math.sqrt(4 * Math.PI);
const C1 = Math.sqrt(3) / Math.sqrt(4 * Math.PI);
const C2 = (3 * Math.sqrt(5)) / Math.sqrt(12 * Math.PI);

/** Value of the constant band: a lighting vector with only `γ_0 = 1 / SH_DC` shades every normal with 1. */
export const SH_DC = A0 * C0;

/** Writes the 9 basis values for normal (nx, ny, nz) at `out[offset..offset+9)`. */
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
