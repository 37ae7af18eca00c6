/**
 * The face-model file format (contracts/face-model-format.json, read here through its generated view):
 * `face-model.json` (header + training manifest) next to `face-model.bin` (little-endian arrays at the
 * byte offsets the header lists). Bases are stored pre-multiplied by each component's standard
 * deviation, so descriptor coefficients have unit prior variance.
 */
import { FACE_MODEL_SPEC } from './generated/format-spec.js';

/** Value of the header's `format` field. */
export const FACE_MODEL_FORMAT = FACE_MODEL_SPEC.format;
/** Header version this code reads and writes. */
export const FACE_MODEL_VERSION = FACE_MODEL_SPEC.version;
/** File names inside a model directory. */
export const FACE_MODEL_FILES = FACE_MODEL_SPEC.files;
/** Bytes per element of each stored element type. */
export const FaceModelDtype = FACE_MODEL_SPEC.dtypes;
/** Name of an element type. */
export type FaceModelDtypeName = keyof typeof FaceModelDtype;
/** Name of one stored array, in blob order. */
export type FaceModelBlockName = (typeof FACE_MODEL_SPEC.blocks)[number]['name'];
/** Element type of each stored array (meanings: contracts/face-model-format.json). */
export const FaceModelBlock = Object.fromEntries(FACE_MODEL_SPEC.blocks.map((b) => [b.name, b.dtype])) as {
  readonly [K in FaceModelBlockName]: Extract<(typeof FACE_MODEL_SPEC.blocks)[number], { name: K }>['dtype'];
};

/** Where one array lies in the blob. */
export interface FaceModelBlockInfo {
  readonly name: FaceModelBlockName;
  readonly dtype: FaceModelDtypeName;
  readonly shape: readonly number[];
  /** Byte offset in the blob (a multiple of the spec's alignment, 4). */
  readonly offset: number;
}

/** Landmark indices the fit needs, in the model's vertex numbering. */
export interface FaceModelLandmarks {
  /** Outer corner of the subject's right eye (image left), MediaPipe 33. */
  readonly eyeRightOuter: number;
  /** Outer corner of the subject's left eye (image right), MediaPipe 263. */
  readonly eyeLeftOuter: number;
}

/**
 * Residual variance per coordinate not explained by the bases (canonical units² for shape, albedo
 * units² for texture): the ridge weight of the MAP fit, since coefficients have unit prior variance.
 */
export interface FaceModelPrior {
  readonly shapeNoiseVariance: number;
  readonly textureNoiseVariance: number;
}

/** The JSON header. */
export interface FaceModelHeader {
  readonly format: typeof FACE_MODEL_FORMAT;
  readonly version: number;
  readonly vertexCount: number;
  readonly triangleCount: number;
  /** Number of components per basis (at most the descriptor's slots: 80, 64, 80). */
  readonly components: { readonly identity: number; readonly expression: number; readonly texture: number };
  readonly landmarks: FaceModelLandmarks;
  readonly prior: FaceModelPrior;
  readonly blocks: readonly FaceModelBlockInfo[];
  /** Byte length and SHA-256 (hex) of the blob. */
  readonly blob: { readonly bytes: number; readonly sha256: string };
  /** Free-form provenance: data, command, metrics. */
  readonly training?: Record<string, unknown>;
}
