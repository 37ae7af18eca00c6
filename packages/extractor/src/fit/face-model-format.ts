/**
 * On-disk format of the face model: `face-model.json` (header + training manifest) next to
 * `face-model.bin` (little-endian arrays at the byte offsets the header lists).
 * Bases are stored pre-multiplied by each component's standard deviation, so descriptor
 * coefficients have unit prior variance.
 */

/** Value of the header's `format` field. */
export const FACE_MODEL_FORMAT = 'semface-face-model' as const;
/** Header version this code reads and writes. */
export const FACE_MODEL_VERSION = 1 as const;
/** File names inside a model directory. */
export const FACE_MODEL_FILES = { header: 'face-model.json', blob: 'face-model.bin' } as const;

/** Element types of stored arrays. */
export const FaceModelDtype = { float32: 4, uint16: 2 } as const;
/** Name of an element type. */
export type FaceModelDtypeName = keyof typeof FaceModelDtype;

/** The arrays of a model file and their element type. */
export const FaceModelBlock = {
  /** Mean shape, V x 3, canonical frame (x right, y down, z into the image), unit outer-eye-corner distance. */
  meanShape: 'float32',
  /** Identity basis, kId x 3V, each row = component direction x its standard deviation. */
  identityBasis: 'float32',
  /** Expression basis, kExp x 3V, scaled like the identity basis. */
  expressionBasis: 'float32',
  /** Mean albedo, V x 3, linear RGB in [0, 1]. */
  meanAlbedo: 'float32',
  /** Texture (albedo) basis, kTex x 3V, scaled by standard deviation. */
  textureBasis: 'float32',
  /** Triangles, T x 3 vertex indices, wound so normals face the camera (-z) on the mean shape. */
  triangles: 'uint16',
} as const satisfies Record<string, FaceModelDtypeName>;
/** Name of one stored array. */
export type FaceModelBlockName = keyof typeof FaceModelBlock;

/** Where one array lies in the blob. */
export interface FaceModelBlockInfo {
  readonly name: FaceModelBlockName;
  readonly dtype: FaceModelDtypeName;
  readonly shape: readonly number[];
  /** Byte offset in the blob (a multiple of 4). */
  readonly offset: number;
}

/** Landmark indices the fit needs, in the model's vertex numbering. */
export interface FaceModelLandmarks {
  /** Outer corner of the subject's right eye (image left), MediaPipe 33. */
  readonly eyeRightOuter: number;
  /** Outer corner of the subject's left eye (image right), MediaPipe 263. */
  readonly eyeLeftOuter: number;
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
  /**
   * Residual variance per coordinate not explained by the bases (canonical units² for shape,
   * albedo units² for texture): the ridge weight of the MAP fit, since coefficients have unit prior variance.
   */
  readonly prior: { readonly shapeNoiseVariance: number; readonly textureNoiseVariance: number };
  readonly blocks: readonly FaceModelBlockInfo[];
  /** Byte length and SHA-256 (hex) of the blob. */
  readonly blob: { readonly bytes: number; readonly sha256: string };
  /** Free-form provenance: data, command, metrics. */
  readonly training?: Record<string, unknown>;
}
