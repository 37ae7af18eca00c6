import type { CoderName } from '@semface/codec-core';
import type { ImageCodecName } from '../baselines/image-codecs.js';

/** Progress of a running evaluation. */
export interface EvalProgress {
  /** What is running, e.g. `verification: hevc 800 bits`. */
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/** Options shared by both tasks. */
export interface CommonEvalOptions {
  /** Folder of the codec manifest; null = no codec points. Default: codec-core's shipped models. */
  readonly codecModelsDir?: string | null;
  /** Folder of the receiver heads manifest. Default: the SDK's shipped heads. */
  readonly headsDir?: string;
  /** Entropy coders to measure. Default both (`rans`, `ppm`). */
  readonly coders: readonly CoderName[];
  /** Image codec baselines. Default: those available (`jpeg`, `hevc`, `av1`). */
  readonly imageCodecs: readonly ImageCodecName[];
  /** Bit budgets for the image baselines; default: the semface points' rates of the task's profile. Unit: bits per face. */
  readonly budgets?: readonly number[];
  /** How many image sizes to try per budget (best kept). Default 2. */
  readonly sizeCandidates: number;
  /** Images used to search each codec's quality for a budget. Default 48. */
  readonly calibrationImages: number;
  readonly onProgress?: (p: EvalProgress) => void;
}

/** Verification task inputs. */
export interface VerificationEvalOptions {
  /** Pairs file in LFW format (default LFW View 2 pairs.txt). */
  readonly pairsFile: string;
  /** Image root (`<root>/<Name>/<Name>_0001.jpg`, or an LFW root holding lfw-deepfunneled/). */
  readonly imageRoot: string;
  /** Descriptor cache (.npy with sidecar) covering the images. */
  readonly descriptors: string;
  /** Keep the first k same + k different pairs of each fold for the descriptor pipelines. */
  readonly limitPerFold?: number;
  /** Same, for the image baselines (slower). 0 = no image baselines. */
  readonly imageLimitPerFold?: number;
  /** Image sizes the baselines may code the face crops at. Default 112, 80, 64, 48, 32, 24. */
  readonly sizes: readonly number[];
  /**
   * Identity-code points (issue 13): recogniser embeddings of the images (.npy N x D, rows listed in
   * `<same folder>/<set>-rows.json` as written by scripts/idcode/extract-landmarks.mjs). Absent file = no points.
   */
  readonly identityCodeEmbeddings?: string;
  /** Folder with `fold-<k>.json` identity-code models (each fitted without fold k's people). */
  readonly identityCodeModels?: string;
}

/** Expression task inputs. */
export interface ExpressionEvalOptions {
  /** Folder-per-class dataset root (default FER2013 validation). */
  readonly root: string;
  /** Descriptor cache of the same images. */
  readonly descriptors: string;
  /** Evenly spaced subset of this many images for the descriptor pipelines. */
  readonly limit?: number;
  /** Subset size for the image baselines. 0 = no image baselines. */
  readonly imageLimit?: number;
  /** Image sizes the baselines may code the images at. Default 48, 40, 32, 24, 16. */
  readonly sizes: readonly number[];
}

/** Defaults of {@link CommonEvalOptions}. */
export const COMMON_EVAL_DEFAULTS = Object.freeze({
  coders: Object.freeze(['rans', 'ppm'] as const),
  imageCodecs: Object.freeze(['jpeg', 'hevc', 'av1'] as const),
  sizeCandidates: 2,
  calibrationImages: 48,
});
/** Default face crop sizes for verification baselines (pixels). */
export const VERIFICATION_SIZES = Object.freeze([112, 80, 64, 48, 32, 24]);
/** Default image sizes for expression baselines (pixels). */
export const EXPRESSION_SIZES = Object.freeze([48, 40, 32, 24, 16]);
/** Default budgets when the codec has no points to match (bits per face). */
export const FALLBACK_BUDGETS = Object.freeze([400, 800, 1500, 3000, 6000]);

/** Validates the shared options once; TypeError / RangeError on bad values. */
export function validateCommonOptions(o: CommonEvalOptions): void {
  if (!Array.isArray(o.coders) || o.coders.length === 0)
    throw new TypeError('coders must be a non-empty array');
  if (!Array.isArray(o.imageCodecs)) throw new TypeError('imageCodecs must be an array');
  if (!Number.isInteger(o.sizeCandidates) || o.sizeCandidates < 1)
    throw new RangeError('sizeCandidates must be >= 1');
  if (!Number.isInteger(o.calibrationImages) || o.calibrationImages < 1) {
    throw new RangeError('calibrationImages must be >= 1');
  }
  for (const b of o.budgets ?? []) {
    if (!(Number.isFinite(b) && b > 0)) throw new RangeError(`budget ${b} must be a positive number of bits`);
  }
}
