import { DEFAULT_MODEL_DIR } from '../models/model-files.js';
import {
  MESH_STABILIZER_DEFAULTS,
  type MeshStabilizerOptions,
  resolveMeshStabilizerOptions,
} from './mesh-stabilizer-options.js';

/** Options of {@link FaceMeshDetector.create}. */
export interface FaceMeshDetectorOptions {
  /** Directory holding blazeface.onnx, facemesh.onnx and iris.onnx. Default: the package's `models/`. */
  readonly modelDir: string;
  /** Minimum detector confidence in [0, 1]. Default 0.5. */
  readonly minScore: number;
  /** Minimum mesh face-presence score in [0, 1]; faces below are dropped. Default 0.5. */
  readonly minMeshScore: number;
  /** Detector NMS overlap threshold (IoU) in [0, 1]. Default 0.3. */
  readonly iouThreshold: number;
  /** Most faces returned by `detect(..., { allFaces: true })`, integer >= 1. Default 10. */
  readonly maxFaces: number;
  /** Refine eyes with the iris model and add 10 iris points (478 points). Default true. */
  readonly iris: boolean;
  /**
   * Extra mesh passes, each re-cropping the face from the previous mesh (MediaPipe's tracking ROI),
   * integer in [0, 3]. Costs one mesh inference each; tightens the crop when the detector box is rough.
   * Default 1.
   */
  readonly refinePasses: number;
  /** Mesh crop side relative to the longer face-box edge (> 1). Default 1.5 (MediaPipe). */
  readonly cropScale: number;
  /** onnxruntime threads per operator, integer >= 1. Default 1. */
  readonly intraOpNumThreads: number;
  /**
   * Temporally stabilise the meshes `track()` returns (video), so a still face gives a still mesh
   * and descriptor: One-Euro filter, no frames of delay ({@link MeshStabilizer}). `detect()` never
   * filters. Default true.
   */
  readonly stabilize: boolean;
  /** Filter settings used when `stabilize` is on. Default {@link MESH_STABILIZER_DEFAULTS}. */
  readonly stabilizer: Readonly<MeshStabilizerOptions>;
}

/** What {@link resolveFaceMeshDetectorOptions} accepts: any subset, `stabilizer` partial too. */
export type FaceMeshDetectorInit = Partial<Omit<FaceMeshDetectorOptions, 'stabilizer'>> & {
  readonly stabilizer?: Partial<MeshStabilizerOptions>;
};

/** Defaults of {@link FaceMeshDetectorOptions}. */
export const FACE_MESH_DETECTOR_DEFAULTS: Readonly<FaceMeshDetectorOptions> = Object.freeze({
  modelDir: DEFAULT_MODEL_DIR,
  minScore: 0.5,
  minMeshScore: 0.5,
  iouThreshold: 0.3,
  maxFaces: 10,
  iris: true,
  refinePasses: 1,
  cropScale: 1.5,
  intraOpNumThreads: 1,
  stabilize: true,
  stabilizer: MESH_STABILIZER_DEFAULTS,
});

/**
 * Merges user options over the defaults and validates them once.
 * @throws TypeError for wrong types, RangeError for out-of-range values.
 */
export function resolveFaceMeshDetectorOptions(
  options: FaceMeshDetectorInit = {},
): Readonly<FaceMeshDetectorOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { stabilizer, ...rest } = options;
  const o = {
    ...FACE_MESH_DETECTOR_DEFAULTS,
    ...withoutUndefined(rest),
    stabilizer: resolveMeshStabilizerOptions(stabilizer),
  };
  if (typeof o.modelDir !== 'string' || o.modelDir.length === 0) {
    throw new TypeError('modelDir must be a non-empty string');
  }
  if (typeof o.iris !== 'boolean') throw new TypeError('iris must be a boolean');
  if (typeof o.stabilize !== 'boolean') throw new TypeError('stabilize must be a boolean');
  unitInterval('minScore', o.minScore);
  unitInterval('minMeshScore', o.minMeshScore);
  unitInterval('iouThreshold', o.iouThreshold);
  integerIn('maxFaces', o.maxFaces, 1, 1000);
  integerIn('refinePasses', o.refinePasses, 0, 3);
  integerIn('intraOpNumThreads', o.intraOpNumThreads, 1, 256);
  finiteNumber('cropScale', o.cropScale);
  if (!(o.cropScale > 1 && o.cropScale <= 4))
    throw new RangeError(`cropScale must be in (1, 4], got ${o.cropScale}`);
  return Object.freeze(o);
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function finiteNumber(name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${name} must be a number`);
}

function unitInterval(name: string, v: unknown): void {
  finiteNumber(name, v);
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
}

function integerIn(name: string, v: unknown, min: number, max: number): void {
  finiteNumber(name, v);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
}
