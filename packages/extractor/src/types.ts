/**
 * Shared data shapes of the extraction pipeline: input frames, detections and fits.
 * Detection (detect/, mesh/), fitting (fit/) and inputs (input/) all speak these types.
 */

/** An 8-bit RGBA image in row-major order, as cameras, canvases and the SDK hand frames over. */
export interface RgbaFrame {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `width * height * 4` bytes, R G B A per pixel. */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** An axis-aligned box in source-image pixels. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Number of face-mesh vertices used by the face model (MediaPipe topology without iris). */
export const MESH_VERTEX_COUNT = 468 as const;
/** Number of points including the 10 refined iris points. */
export const MESH_POINT_COUNT_WITH_IRIS = 478 as const;

/** One detected face with its 3D mesh. */
export interface DetectedFace {
  /** Face box in source pixels (from the detector, refined by the mesh). */
  readonly box: FaceBox;
  /** Detector confidence in [0, 1]. */
  readonly score: number;
  /** Mesh confidence (face presence) in [0, 1]. */
  readonly meshScore: number;
  /**
   * Mesh points, `count * 3` floats: x, y in source-image pixels, z in the same pixel scale
   * (depth relative to the face centre, larger = farther from the camera).
   */
  readonly mesh: Float32Array;
  /** Number of mesh points (468, or 478 with iris refinement). */
  readonly pointCount: number;
  /**
   * The detector's own mesh when `mesh` was temporally stabilised (`FaceMeshDetector.track` with
   * `stabilize` on); absent otherwise. Same layout as `mesh`.
   */
  readonly rawMesh?: Float32Array;
}

/** A detected face fitted to the face model. */
export interface FittedFace {
  readonly face: DetectedFace;
  /** The 257-D descriptor (layout in @semface/codec-core). */
  readonly descriptor: Float32Array;
  /** Mean landmark error of the rebuilt mesh vs the detected mesh, in % of inter-ocular distance. */
  readonly fitErrorPercent: number;
  /** True when no detector found this face and a known face-crop region was meshed instead. */
  readonly fromCropBox?: boolean;
  /**
   * When the expression refinement ran (`FaceDescriptorExtractor` with `refine` on): the emotion
   * network's natural-log probabilities on the face's crop, floored, in `REFINEMENT_SPEC.emotion.labels`
   * order (7 values; on the tracking path after the contract's moving average), as the refiner saw
   * them. `descriptor` and `fitErrorPercent` are then those of the refined descriptor.
   */
  readonly emotionLogProbabilities?: Float32Array;
  /** When the expression refinement ran: `fitErrorPercent` of the descriptor before refinement. */
  readonly unrefinedFitErrorPercent?: number;
}
