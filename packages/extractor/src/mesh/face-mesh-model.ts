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

/**
 * The MediaPipe face-mesh model: one rotated face crop in, 468 3D points out. With `partners` (each
 * vertex's left/right counterpart), every crop also runs mirrored and the two meshes are averaged.
 */
export class FaceMeshModel {
  private readonly point = new Float64Array(2);

  constructor(
    private readonly session: InferenceSession,
    private readonly partners?: Uint16Array,
  ) {}

  /** Runs the mesh on each crop (one batch) and maps the points back to source pixels. */
  async run(frame: RgbaFrame, rois: readonly RotatedRect[]): Promise<RawMesh[]> {
    if (rois.length === 0) return [];
    const size = MESH_INPUT_SIZE;
    const stride = size * size * 3;
    const n = rois.length;
    const mirrored = this.partners !== undefined;
    const batch = mirrored ? 2 * n : n;
    const input = new Float32Array(stride * batch);
    rois.forEach((roi, b) => sampleCrop(frame, roi, size, input, b * stride, UNIT_RANGE));
    if (mirrored) for (let b = 0; b < n; b++) mirrorCrop(input, b * stride, (n + b) * stride, size);
    const results = await this.session.run({
      [this.session.inputNames[0]!]: new Tensor('float32', input, [batch, size, size, 3]),
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
    const partners = this.partners;
    return rois.map((roi, b) => {
      const points = new Float32Array(MESH_VERTEX_COUNT * 3);
      const zScale = roi.size / size;
      const base = b * MESH_VERTEX_COUNT * 3;
      const flipBase = (n + b) * MESH_VERTEX_COUNT * 3;
      for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
        const o = base + i * 3;
        let x = coords[o]!;
        let y = coords[o + 1]!;
        let z = coords[o + 2]!;
        if (partners) {
          // The mirrored crop's partner vertex, mirrored back into this crop's coordinates.
          const f = flipBase + partners[i]! * 3;
          x = 0.5 * (x + size - coords[f]!);
          y = 0.5 * (y + coords[f + 1]!);
          z = 0.5 * (z + coords[f + 2]!);
        }
        cropToSource(roi, size, x, y, p);
        points[i * 3] = p[0]!;
        points[i * 3 + 1] = p[1]!;
        points[i * 3 + 2] = z * zScale;
      }
      const score = partners ? 0.5 * (flags[b]! + flags[n + b]!) : flags[b]!;
      return { points, score };
    });
  }
}

/** Writes the horizontal mirror image of the `size` x `size` RGB crop at `from` to `to`. */
function mirrorCrop(data: Float32Array, from: number, to: number, size: number): void {
  for (let y = 0; y < size; y++) {
    const row = y * size * 3;
    for (let x = 0; x < size; x++) {
      const s = from + row + x * 3;
      const d = to + row + (size - 1 - x) * 3;
      data[d] = data[s]!;
      data[d + 1] = data[s + 1]!;
      data[d + 2] = data[s + 2]!;
    }
  }
}
