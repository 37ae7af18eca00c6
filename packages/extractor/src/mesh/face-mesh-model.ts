import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { UNIT_RANGE, sampleCrop } from '../detect/crop-sampler.js';
import { type RotatedRect, cropToSource } from '../detect/rotated-rect.js';
import { MESH_VERTEX_COUNT, type RgbaFrame } from '../types.js';

/** Side of the mesh model's square input in pixels. */
export const MESH_INPUT_SIZE = 192;

/** A mesh in source pixels with the model's face-presence score. */
export interface RawMesh {
  /** `MESH_VERTEX_COUNT * 3` floats: x, y in source pixels, z scaled like x. */
  readonly points: Float32Array;
  /** Face-presence probability in [0, 1]. */
  readonly score: number;
}

/** The MediaPipe face-mesh model: one rotated face crop in, 468 3D points out. */
export class FaceMeshModel {
  private readonly point = new Float64Array(2);

  constructor(private readonly session: InferenceSession) {}

  /** Runs the mesh on each crop (one batch) and maps the points back to source pixels. */
  async run(frame: RgbaFrame, rois: readonly RotatedRect[]): Promise<RawMesh[]> {
    if (rois.length === 0) return [];
    const size = MESH_INPUT_SIZE;
    const stride = size * size * 3;
    const n = rois.length;
    const input = new Float32Array(stride * n);
    rois.forEach((roi, b) => sampleCrop(frame, roi, size, input, b * stride, UNIT_RANGE));
    const results = await this.session.run({
      [this.session.inputNames[0]!]: new Tensor('float32', input, [n, size, size, 3]),
    });
    let coords: Float32Array | undefined;
    let flags: Float32Array | undefined;
    for (const name of this.session.outputNames) {
      const t = results[name] as Tensor;
      const last = t.dims[t.dims.length - 1];
      if (last === MESH_VERTEX_COUNT * 3) coords = t.data as Float32Array;
      else if (last === 1) flags = t.data as Float32Array;
    }
    if (!coords || !flags) throw new Error('face-mesh model outputs not found (expected [n,1404] and [n,1])');
    const p = this.point;
    return rois.map((roi, b) => {
      const points = new Float32Array(MESH_VERTEX_COUNT * 3);
      const zScale = roi.size / size;
      const base = b * MESH_VERTEX_COUNT * 3;
      for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
        const o = base + i * 3;
        cropToSource(roi, size, coords[o]!, coords[o + 1]!, p);
        points[i * 3] = p[0]!;
        points[i * 3 + 1] = p[1]!;
        points[i * 3 + 2] = coords[o + 2]! * zScale;
      }
      return { points, score: flags[b]! };
    });
  }
}
