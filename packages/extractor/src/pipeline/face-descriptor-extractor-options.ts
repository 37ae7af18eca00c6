import { DEFAULT_FACE_MODEL_DIR, FaceFitter } from '../fit/face-fitter.js';
import { type FaceMeshDetectorInit, resolveFaceMeshDetectorOptions } from '../mesh/face-mesh-options.js';
import { DEFAULT_MODEL_DIR } from '../models/model-files.js';

/** Options of {@link FaceDescriptorExtractor.create}. */
export interface FaceDescriptorExtractorOptions {
  /**
   * Directory holding blazeface.onnx, facemesh.onnx, iris.onnx and, for the refinement, emotion.onnx
   * and expression-refiner.onnx. Default: the package's `models/`.
   */
  readonly modelDir: string;
  /** Directory of the face model the fitter loads. Default: the package's `models/face-model/`. */
  readonly faceModelDir: string;
  /** A ready fitter (e.g. over an in-memory model); replaces loading from `faceModelDir`. Default none. */
  readonly fitter: FaceFitter | undefined;
  /**
   * Mirror-symmetric extraction: a second, independent pipeline (tracker, mesh, fit, emotion, refiner)
   * runs on the mirror image of every frame, and each face's motion (expression, rotation, translation)
   * is its own averaged with the mirrored twin's (`DescriptorMirror.average` of `@semface/face-model`).
   * A mirrored input then gives exactly the mirrored motion, so an avatar's Left/Right weights swap with
   * the camera's mirror; a face only one pass finds is left out. Doubles the extraction cost. Default
   * false.
   */
  readonly symmetric: boolean;
  /**
   * Expression refinement (contracts/expression-refinement.json): run the emotion network on each
   * face's crop and add the learned expression refiner's correction to descriptor[80:144]. Default true.
   */
  readonly refine: boolean;
  /** onnxruntime threads per operator for every model, integer >= 1. Default 1. */
  readonly intraOpNumThreads: number;
  /**
   * Further detector options (stabiliser, scores, iris, ...), validated like
   * `FaceMeshDetector.create`'s; `modelDir` and `intraOpNumThreads` given here are
   * replaced by the options above. Default `{}` (the detector's defaults).
   */
  readonly detector: Readonly<FaceMeshDetectorInit>;
}

/** What {@link resolveFaceDescriptorExtractorOptions} accepts: any subset. */
export type FaceDescriptorExtractorInit = Partial<FaceDescriptorExtractorOptions>;

/** Defaults of {@link FaceDescriptorExtractorOptions}. */
export const FACE_DESCRIPTOR_EXTRACTOR_DEFAULTS: Readonly<FaceDescriptorExtractorOptions> = Object.freeze({
  modelDir: DEFAULT_MODEL_DIR,
  faceModelDir: DEFAULT_FACE_MODEL_DIR,
  fitter: undefined,
  symmetric: false,
  refine: true,
  intraOpNumThreads: 1,
  detector: Object.freeze({}),
});

/**
 * Merges user options over the defaults and validates them once (the detector options too).
 * @throws TypeError for wrong types, RangeError for out-of-range values.
 */
export function resolveFaceDescriptorExtractorOptions(
  options: FaceDescriptorExtractorInit = {},
): Readonly<FaceDescriptorExtractorOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const o = {
    ...FACE_DESCRIPTOR_EXTRACTOR_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as FaceDescriptorExtractorOptions;
  for (const name of ['modelDir', 'faceModelDir'] as const) {
    if (typeof o[name] !== 'string' || o[name].length === 0) {
      throw new TypeError(`${name} must be a non-empty string`);
    }
  }
  if (o.fitter !== undefined && !(o.fitter instanceof FaceFitter)) {
    throw new TypeError('fitter must be a FaceFitter');
  }
  if (typeof o.symmetric !== 'boolean') throw new TypeError('symmetric must be a boolean');
  if (typeof o.refine !== 'boolean') throw new TypeError('refine must be a boolean');
  if (typeof o.intraOpNumThreads !== 'number' || Number.isNaN(o.intraOpNumThreads)) {
    throw new TypeError('intraOpNumThreads must be a number');
  }
  if (!Number.isInteger(o.intraOpNumThreads) || o.intraOpNumThreads < 1 || o.intraOpNumThreads > 256) {
    throw new RangeError(`intraOpNumThreads must be an integer in [1, 256], got ${o.intraOpNumThreads}`);
  }
  if (o.detector === null || typeof o.detector !== 'object')
    throw new TypeError('detector must be an object');
  const detector = Object.freeze({
    ...o.detector,
    modelDir: o.modelDir,
    intraOpNumThreads: o.intraOpNumThreads,
  });
  resolveFaceMeshDetectorOptions(detector);
  return Object.freeze({ ...o, detector });
}
