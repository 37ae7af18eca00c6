import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { UNIT_RANGE, sampleCrop } from '../detect/crop-sampler.js';
import { type RotatedRect, cropToSource } from '../detect/rotated-rect.js';
import { MESH_POINT_COUNT_WITH_IRIS, MESH_VERTEX_COUNT, type RgbaFrame } from '../types.js';
import {
  IRIS_MODEL_CONTOURS,
  IRIS_MODEL_CONTOUR_POINTS,
  IRIS_MODEL_POINTS,
  IRIS_POINTS,
  LEFT_EYE,
  LEFT_EYE_CORNERS,
  LEFT_IRIS_START,
  RIGHT_EYE,
  RIGHT_EYE_CORNERS,
  RIGHT_IRIS_START,
} from './mesh-topology.js';

/** Side of the iris model's square input in pixels. */
export const IRIS_INPUT_SIZE = 64;
/** Eye crop side relative to the corner-to-corner distance (MediaPipe: 2.3). */
const EYE_CROP_SCALE = 2.3;
/**
 * Eye-depth difference (in mesh-crop units, as in the reference) above which the head is turned enough
 * that only the nearer eye's lid contours are replaced.
 */
const TURNED_DEPTH_DIFFERENCE = 30;

type EyeSide = 'right' | 'left';

/**
 * The MediaPipe iris model: refines the eye contours of a 468-point mesh and appends 5 iris points per
 * eye (478 points). The model is trained on one eye side, so the subject's left eye is mirrored in and out.
 */
export class IrisModel {
  private readonly point = new Float64Array(2);

  constructor(private readonly session: InferenceSession) {}

  /**
   * @param mesh 468-point mesh in source pixels.
   * @param meshUnit source pixels per mesh-crop pixel (mesh ROI size / 192), to apply the reference's
   *   depth threshold in its own units.
   * @returns a new 478-point mesh.
   */
  async refine(frame: RgbaFrame, mesh: Float32Array, meshUnit: number): Promise<Float32Array> {
    const size = IRIS_INPUT_SIZE;
    const stride = size * size * 3;
    const rightRoi = eyeRoi(mesh, RIGHT_EYE_CORNERS[0], RIGHT_EYE_CORNERS[1]);
    // Inner corner first so the crop's x axis points the same way (image right) for both eyes.
    const leftRoi = eyeRoi(mesh, LEFT_EYE_CORNERS[1], LEFT_EYE_CORNERS[0]);
    const input = new Float32Array(stride * 2);
    sampleCrop(frame, rightRoi, size, input, 0, UNIT_RANGE);
    sampleCrop(frame, leftRoi, size, input, stride, UNIT_RANGE, true);
    const results = await this.session.run({
      [this.session.inputNames[0]!]: new Tensor('float32', input, [2, size, size, 3]),
    });
    const data = (results[this.session.outputNames[0]!] as Tensor).data as Float32Array;
    if (data.length !== 2 * IRIS_MODEL_POINTS * 3) {
      throw new Error(`iris model output has ${data.length} values, expected ${2 * IRIS_MODEL_POINTS * 3}`);
    }
    const right = this.toSource(data, 0, rightRoi, false);
    const left = this.toSource(data, IRIS_MODEL_POINTS * 3, leftRoi, true);

    const out = new Float32Array(MESH_POINT_COUNT_WITH_IRIS * 3);
    out.set(mesh.subarray(0, MESH_VERTEX_COUNT * 3));
    const depthDiff = (mesh[LEFT_EYE_CORNERS[0] * 3 + 2]! - mesh[RIGHT_EYE_CORNERS[0] * 3 + 2]!) / meshUnit;
    if (Math.abs(depthDiff) < TURNED_DEPTH_DIFFERENCE) {
      replaceContours(out, right, 'right', false);
      replaceContours(out, left, 'left', false);
    } else if (depthDiff < 0) {
      // Left eye nearer the camera: only its lids are trustworthy.
      replaceContours(out, left, 'left', true);
    } else {
      replaceContours(out, right, 'right', true);
    }
    writeIris(out, right, 'right');
    writeIris(out, left, 'left');
    return out;
  }

  private toSource(data: Float32Array, base: number, roi: RotatedRect, flipX: boolean): Float32Array {
    const pts = new Float32Array(IRIS_MODEL_POINTS * 3);
    const zScale = roi.size / IRIS_INPUT_SIZE;
    const p = this.point;
    for (let i = 0; i < IRIS_MODEL_POINTS; i++) {
      const o = base + i * 3;
      cropToSource(roi, IRIS_INPUT_SIZE, data[o]!, data[o + 1]!, p, flipX);
      pts[i * 3] = p[0]!;
      pts[i * 3 + 1] = p[1]!;
      pts[i * 3 + 2] = data[o + 2]! * zScale;
    }
    return pts;
  }
}

function eyeRoi(mesh: Float32Array, from: number, to: number): RotatedRect {
  const x0 = mesh[from * 3]!;
  const y0 = mesh[from * 3 + 1]!;
  const x1 = mesh[to * 3]!;
  const y1 = mesh[to * 3 + 1]!;
  return {
    cx: (x0 + x1) / 2,
    cy: (y0 + y1) / 2,
    size: Math.hypot(x1 - x0, y1 - y0) * EYE_CROP_SCALE,
    angle: Math.atan2(y1 - y0, x1 - x0),
  };
}

/** Replaces mesh eye contours by the iris model's; depth becomes the mean of both estimates. */
function replaceContours(out: Float32Array, eye: Float32Array, side: EyeSide, lidsOnly: boolean): void {
  const contours = side === 'right' ? RIGHT_EYE : LEFT_EYE;
  for (const { key, indices } of IRIS_MODEL_CONTOURS) {
    if (lidsOnly && key !== 'EyeUpper0' && key !== 'EyeLower0') continue;
    const meshIndices = contours[key];
    for (let j = 0; j < indices.length; j++) {
      const src = indices[j]! * 3;
      const dst = meshIndices[j]! * 3;
      out[dst] = eye[src]!;
      out[dst + 1] = eye[src + 1]!;
      out[dst + 2] = (eye[src + 2]! + out[dst + 2]!) / 2;
    }
  }
}

/** Appends the 5 iris points; their depth is taken from the lids (the model's iris z is unreliable). */
function writeIris(out: Float32Array, eye: Float32Array, side: EyeSide): void {
  const contours = side === 'right' ? RIGHT_EYE : LEFT_EYE;
  const upperZ = out[contours.EyeUpper0[3]! * 3 + 2]!;
  const lowerZ = out[contours.EyeLower0[4]! * 3 + 2]!;
  const start = side === 'right' ? RIGHT_IRIS_START : LEFT_IRIS_START;
  for (let i = 0; i < IRIS_POINTS; i++) {
    const src = (IRIS_MODEL_CONTOUR_POINTS + i) * 3;
    const dst = (start + i) * 3;
    out[dst] = eye[src]!;
    out[dst + 1] = eye[src + 1]!;
    // Rim order: centre, then four around; index 2 is the top and 4 the bottom of the iris.
    out[dst + 2] = i === 2 ? upperZ : i === 4 ? lowerZ : (upperZ + lowerZ) / 2;
  }
}
