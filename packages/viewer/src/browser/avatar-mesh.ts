import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core/layout';
import { BrowserDecodeError } from '../errors.js';
import type { FaceModelData } from './face-model-data.js';

/** A posed, coloured avatar mesh. */
export interface AvatarMesh {
  /** `V * 3` posed positions (x right, y down, z away from the camera), pixels of the frame. */
  readonly positions: Float32Array;
  /** `V * 3` vertex colours, 0-255. */
  readonly colors: Uint8Array;
}

/** Frame the avatar is posed in, pixels (the demo server uses the same). */
export const AVATAR_FRAME_SIZE = 512;

// Real SH irradiance basis, bands 0-2, Lambertian constants folded in (Deep3DFaceRecon), as in the
// extractor's fit/spherical-harmonics.ts.
const A0 = Math.PI;
const A1 = (2 * Math.PI) / Math.sqrt(3);
const A2 = (2 * Math.PI) / Math.sqrt(8);
const C0 = 1 / Math.sqrt(4 * Math.PI);
const C1 = Math.sqrt(3) / Math.sqrt(4 * Math.PI);
const C2 = (3 * Math.sqrt(5)) / Math.sqrt(12 * Math.PI);
const SH_BANDS = 9;

function addCombination(
  rows: Float32Array,
  count: number,
  cols: number,
  coef: Float32Array,
  at: number,
  out: Float64Array,
) {
  for (let i = 0; i < count; i++) {
    const c = coef[at + i]!;
    if (c === 0) continue;
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j] = out[j]! + c * rows[o + j]!;
  }
}

/**
 * Rebuilds the posed, coloured mesh a decoded descriptor describes, head centred (translation x/y
 * dropped, scale kept), in a {@link AVATAR_FRAME_SIZE}-pixel frame. The same arithmetic as the
 * extractor's `FaceFitter.meshFromDescriptor` (shape = mean + identity + expression bases; pose from
 * the Euler angles and log-scale; albedo from the texture basis, shaded with 9 SH bands per channel),
 * without Node APIs, for pages that decode themselves.
 */
export function avatarMeshFromDescriptor(model: FaceModelData, descriptor: Float32Array): AvatarMesh {
  if (!(descriptor instanceof Float32Array) || descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new BrowserDecodeError(`expected a Float32Array of ${DESCRIPTOR_LENGTH} values`);
  }
  const v = model.vertexCount;
  const d = v * 3;
  const shape = new Float64Array(d);
  for (let i = 0; i < d; i++) shape[i] = model.meanShape[i]!;
  addCombination(
    model.identityBasis,
    model.identityCount,
    d,
    descriptor,
    DescriptorField.identity.start,
    shape,
  );
  addCombination(
    model.expressionBasis,
    model.expressionCount,
    d,
    descriptor,
    DescriptorField.expression.start,
    shape,
  );
  // Pose: R = Rz(roll) Ry(yaw) Rx(pitch), row-major; centred head: tx = ty = frame centre.
  const r0 = DescriptorField.rotation.start;
  const t0 = DescriptorField.translation.start;
  const [cx, sx] = [Math.cos(descriptor[r0]!), Math.sin(descriptor[r0]!)];
  const [cy, sy] = [Math.cos(descriptor[r0 + 1]!), Math.sin(descriptor[r0 + 1]!)];
  const [cz, sz] = [Math.cos(descriptor[r0 + 2]!), Math.sin(descriptor[r0 + 2]!)];
  const r = [
    cz * cy,
    cz * sy * sx - sz * cx,
    cz * sy * cx + sz * sx,
    sz * cy,
    sz * sy * sx + cz * cx,
    sz * sy * cx - cz * sx,
    -sy,
    cy * sx,
    cy * cx,
  ] as const;
  const s = AVATAR_FRAME_SIZE * Math.exp(-descriptor[t0 + 2]!);
  const tx = AVATAR_FRAME_SIZE / 2;
  const ty = AVATAR_FRAME_SIZE / 2;
  const posed = new Float64Array(d);
  for (let p = 0; p < d; p += 3) {
    const a = shape[p]!;
    const b = shape[p + 1]!;
    const c = shape[p + 2]!;
    posed[p] = s * (r[0] * a + r[1] * b + r[2] * c) + tx;
    posed[p + 1] = s * (r[3] * a + r[4] * b + r[5] * c) + ty;
    posed[p + 2] = s * (r[6] * a + r[7] * b + r[8] * c);
  }
  const normals = vertexNormals(posed, v, model.triangles);
  const albedo = new Float64Array(d);
  for (let i = 0; i < d; i++) albedo[i] = model.meanAlbedo[i]!;
  addCombination(
    model.textureBasis,
    model.textureCount,
    d,
    descriptor,
    DescriptorField.texture.start,
    albedo,
  );
  const colors = new Uint8Array(d);
  const l = DescriptorField.lighting.start;
  const h = new Float64Array(SH_BANDS);
  for (let i = 0; i < v; i++) {
    const nx = normals[i * 3]!;
    const ny = normals[i * 3 + 1]!;
    const nz = normals[i * 3 + 2]!;
    h[0] = A0 * C0;
    h[1] = -A1 * C1 * ny;
    h[2] = A1 * C1 * nz;
    h[3] = -A1 * C1 * nx;
    h[4] = A2 * C2 * nx * ny;
    h[5] = -A2 * C2 * ny * nz;
    h[6] = ((A2 * C2 * 0.5) / Math.sqrt(3)) * (3 * nz * nz - 1);
    h[7] = -A2 * C2 * nx * nz;
    h[8] = A2 * C2 * 0.5 * (nx * nx - ny * ny);
    for (let c = 0; c < 3; c++) {
      let shade = 0;
      for (let k = 0; k < SH_BANDS; k++) shade += h[k]! * descriptor[l + c * SH_BANDS + k]!;
      // Float32 first, as the server's mesh colours are, so both round alike.
      const value = Math.fround(Math.max(0, Math.min(1, albedo[i * 3 + c]! * shade)));
      colors[i * 3 + c] = Math.round(value * 255);
    }
  }
  return { positions: Float32Array.from(posed), colors };
}

/** Unit area-weighted vertex normals (as the extractor's fit/normals.ts). */
function vertexNormals(pos: Float64Array, v: number, tri: Uint16Array | Uint32Array): Float64Array {
  const out = new Float64Array(v * 3);
  for (let f = 0; f < tri.length; f += 3) {
    const a = tri[f]! * 3;
    const b = tri[f + 1]! * 3;
    const c = tri[f + 2]! * 3;
    const ux = pos[b]! - pos[a]!;
    const uy = pos[b + 1]! - pos[a + 1]!;
    const uz = pos[b + 2]! - pos[a + 2]!;
    const wx = pos[c]! - pos[a]!;
    const wy = pos[c + 1]! - pos[a + 1]!;
    const wz = pos[c + 2]! - pos[a + 2]!;
    const nx = uy * wz - uz * wy;
    const ny = uz * wx - ux * wz;
    const nz = ux * wy - uy * wx;
    for (const i of [a, b, c]) {
      out[i] = out[i]! + nx;
      out[i + 1] = out[i + 1]! + ny;
      out[i + 2] = out[i + 2]! + nz;
    }
  }
  for (let i = 0; i < v * 3; i += 3) {
    const len = Math.hypot(out[i]!, out[i + 1]!, out[i + 2]!);
    if (len > 0) {
      out[i] = out[i]! / len;
      out[i + 1] = out[i + 1]! / len;
      out[i + 2] = out[i + 2]! / len;
    }
  }
  return out;
}
