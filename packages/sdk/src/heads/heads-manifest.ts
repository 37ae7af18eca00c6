import { PROFILE_NAMES, type ProfileName } from '@semface/codec-core/layout';
import { SdkErrorCode, SemfaceSdkError } from '../errors.js';

/** What a receiver head computes. */
export const HeadKind = { expression: 'expression', verification: 'verification' } as const;
/** Name of a head kind. */
export type HeadKind = (typeof HeadKind)[keyof typeof HeadKind];

/** One head of `models/manifest.json` (written by training/heads). */
export interface HeadManifestEntry {
  readonly kind: HeadKind;
  /** ONNX file name next to the manifest. */
  readonly file: string;
  /** Hex SHA-256 of the file. */
  readonly sha256: string;
  /** Descriptor profile whose fields (layout order) form the input. */
  readonly profile: ProfileName;
  readonly inputDim: number;
  readonly outputDim: number;
  /** Expression class names in output order (expression heads). */
  readonly labels?: readonly string[];
  /** Euclidean distance below which two vectors are the same person (verification heads). */
  readonly threshold?: number;
  /** LFW View 2 fold held out when training (evaluation models); absent for the deployed model. */
  readonly fold?: number;
  readonly training: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** Parsed heads manifest. */
export interface HeadsManifest {
  readonly heads: readonly HeadManifestEntry[];
}

const SAFE_FILE = /^[A-Za-z0-9._-]+$/;

function fail(msg: string): never {
  throw new SemfaceSdkError(SdkErrorCode.codecUnavailable, `heads manifest: ${msg}`);
}

/** Validates a parsed heads manifest. */
export function parseHeadsManifest(json: unknown): HeadsManifest {
  const heads = (json as { heads?: unknown } | null)?.heads;
  if (!Array.isArray(heads)) fail('"heads" must be an array');
  return {
    heads: heads.map((h: Partial<HeadManifestEntry>, i): HeadManifestEntry => {
      if (typeof h !== 'object' || h === null) fail(`heads[${i}] is not an object`);
      if (h.kind !== 'expression' && h.kind !== 'verification') fail(`heads[${i}].kind is unknown`);
      if (typeof h.file !== 'string' || !SAFE_FILE.test(h.file)) fail(`heads[${i}].file must be a file name`);
      if (!PROFILE_NAMES.includes(h.profile as ProfileName)) fail(`heads[${i}].profile is unknown`);
      for (const k of ['inputDim', 'outputDim'] as const) {
        if (!Number.isInteger(h[k]) || (h[k] as number) < 1)
          fail(`heads[${i}].${k} must be a positive integer`);
      }
      if (h.kind === 'expression' && (!Array.isArray(h.labels) || h.labels.length !== h.outputDim)) {
        fail(`heads[${i}].labels must list outputDim names`);
      }
      if (h.kind === 'verification' && typeof h.threshold !== 'number') fail(`heads[${i}].threshold missing`);
      return {
        ...(h as HeadManifestEntry),
        sha256: typeof h.sha256 === 'string' ? h.sha256 : '',
        training: h.training ?? {},
        metrics: h.metrics ?? {},
      };
    }),
  };
}
