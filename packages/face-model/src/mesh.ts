import { DescriptorField } from '@semface/codec-core/layout';
import type { FaceModel } from './face-model.js';
import { SH_BANDS, addCombination, rotationFromAngles, shBasis, vertexNormals } from './geometry.js';

/** Size of the frame a descriptor's translation refers to, pixels. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

/** Output size used to pose a descriptor when none is given (pixels). */
export const DEFAULT_FRAME_SIZE = Object.freeze({ width: 256, height: 256 });

/** A face rebuilt from a descriptor. */
export interface ReconstructedMesh {
  /** `V * 3`: x, y in pixels of the frame size, z in the same scale (larger = farther). */
  readonly positions: Float32Array;
  /** `V * 3` RGB in [0, 1]: albedo x SH shading, clamped. */
  readonly colors: Float32Array;
  /** `V * 3` unit normals in the camera frame. */
  readonly normals: Float32Array;
  /** Triangle vertex indices (shared with the model). */
  readonly triangles: Uint16Array;
}

/** The similarity a descriptor's pose gives in a frame: `x = s R X + (tx, ty, 0)`. */
export interface DescriptorPose {
  /** Pixels per canonical unit. */
  readonly s: number;
  /** Row-major rotation (9). */
  readonly r: Float64Array;
  readonly tx: number;
  readonly ty: number;
}

/** Canonical shape of a descriptor: mean + identity + expression bases, into `out` (`V * 3`). */
export function shapeFromDescriptor(
  model: FaceModel,
  descriptor: Float32Array,
  out: Float64Array,
): Float64Array {
  const d = model.vertexCount * 3;
  for (let i = 0; i < d; i++) out[i] = model.meanShape[i]!;
  addCombination(
    model.identityBasis,
    model.identityCount,
    d,
    descriptor,
    DescriptorField.identity.start,
    out,
  );
  addCombination(
    model.expressionBasis,
    model.expressionCount,
    d,
    descriptor,
    DescriptorField.expression.start,
    out,
  );
  return out;
}

/**
 * Decodes a descriptor's rotation (into `r`), log-scale and normalised translation for a frame:
 * `s = min(w, h) e^-tz`, image position of the model origin `((x + 1) w / 2, (y + 1) h / 2)`.
 */
export function poseFromDescriptor(
  descriptor: Float32Array,
  frameSize: FrameSize,
  r = new Float64Array(9),
): DescriptorPose {
  const a = DescriptorField.rotation.start;
  const t = DescriptorField.translation.start;
  rotationFromAngles(descriptor[a]!, descriptor[a + 1]!, descriptor[a + 2]!, r);
  return {
    s: Math.min(frameSize.width, frameSize.height) * Math.exp(-descriptor[t + 2]!),
    r,
    tx: ((descriptor[t]! + 1) * frameSize.width) / 2,
    ty: ((descriptor[t + 1]! + 1) * frameSize.height) / 2,
  };
}

/** Poses canonical points: `out = s R X + (tx, ty, 0)` for `vertexCount` points. */
export function applyPose(
  shape: Float64Array,
  vertexCount: number,
  { s, r, tx, ty }: DescriptorPose,
  out: Float64Array,
): Float64Array {
  for (let p = 0; p < vertexCount * 3; p += 3) {
    const a = shape[p]!;
    const b = shape[p + 1]!;
    const c = shape[p + 2]!;
    out[p] = s * (r[0]! * a + r[1]! * b + r[2]! * c) + tx;
    out[p + 1] = s * (r[3]! * a + r[4]! * b + r[5]! * c) + ty;
    out[p + 2] = s * (r[6]! * a + r[7]! * b + r[8]! * c);
  }
  return out;
}

/**
 * Rebuilds the posed, coloured mesh a descriptor describes, in a frame of `frameSize` pixels: shape from
 * the identity and expression bases, pose from the Euler angles, log-scale and translation, albedo from
 * the texture basis shaded with 9 SH bands per channel on the posed normals. No argument checks.
 */
export function meshFromDescriptor(
  model: FaceModel,
  descriptor: Float32Array,
  frameSize: FrameSize = DEFAULT_FRAME_SIZE,
): ReconstructedMesh {
  const v = model.vertexCount;
  const shape = shapeFromDescriptor(model, descriptor, new Float64Array(v * 3));
  const posed = applyPose(shape, v, poseFromDescriptor(descriptor, frameSize), new Float64Array(v * 3));
  const normals = vertexNormals(posed, v, model.triangles, new Float64Array(v * 3));
  const albedo = Float64Array.from(model.meanAlbedo);
  addCombination(
    model.textureBasis,
    model.textureCount,
    v * 3,
    descriptor,
    DescriptorField.texture.start,
    albedo,
  );
  const colors = new Float32Array(v * 3);
  const h = new Float64Array(SH_BANDS);
  const l = DescriptorField.lighting.start;
  for (let i = 0; i < v; i++) {
    shBasis(normals[i * 3]!, normals[i * 3 + 1]!, normals[i * 3 + 2]!, h, 0);
    for (let c = 0; c < 3; c++) {
      let shade = 0;
      for (let k = 0; k < SH_BANDS; k++) shade += h[k]! * descriptor[l + c * SH_BANDS + k]!;
      colors[i * 3 + c] = Math.max(0, Math.min(1, albedo[i * 3 + c]! * shade));
    }
  }
  return {
    positions: Float32Array.from(posed),
    colors,
    normals: Float32Array.from(normals),
    triangles: model.triangles,
  };
}
