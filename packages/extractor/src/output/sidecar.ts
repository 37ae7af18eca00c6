import { readFile, rename, writeFile } from 'node:fs/promises';
import { DatasetFormatError, InputNotFoundError } from '../errors.js';
import type { FaceBox } from '../types.js';

/**
 * The JSON sidecar that travels with a descriptor `.npy`: where each row came from and how good it
 * is. Row `i` of `rows` describes row `i` of the array; inputs that gave no descriptor are listed
 * in `failures` instead.
 */

/** Format tag and version of the sidecar, bumped on incompatible changes. */
export const SIDECAR_FORMAT = 'semface-descriptors' as const;
export const SIDECAR_VERSION = 1 as const;

/** A model that produced the descriptors. */
export interface SidecarModel {
  /** What the model does: `detector`, `mesh`, `iris`, `emotion`, `expression-refiner`, `face-model`. */
  readonly role: string;
  /** Model id or file name. */
  readonly id: string;
  /** SHA-256 of the model file (hex), when known. */
  readonly sha256?: string;
}

/** File-level facts of a descriptor file. */
export interface SidecarHeader {
  readonly format: typeof SIDECAR_FORMAT;
  readonly version: typeof SIDECAR_VERSION;
  /** Creation time, ISO 8601. */
  readonly created: string;
  /** The command line that produced the file. */
  readonly command: string;
  /** Values per row of the `.npy` (257 for full descriptors). */
  readonly columns: number;
  /** Models used, with ids and hashes. */
  readonly models: readonly SidecarModel[];
  /** Dataset and split when the file is a dataset cache, e.g. `{ name: 'fer2013', split: 'train' }`. */
  readonly dataset?: { readonly name: string; readonly split?: string };
  /** Class names when rows carry a `classIndex`. */
  readonly classes?: readonly string[];
  /**
   * How still images were prepared before detection, when they were: upscaled to a longer side of
   * `minSide` pixels, then mirror-padded by `padFraction` per side. Boxes refer to the prepared image.
   */
  readonly imagePreprocess?: { readonly minSide: number; readonly padFraction: number };
}

/** Provenance and quality of one descriptor row. */
export interface SidecarRow {
  /** Source file path (as given, or relative to the dataset root for caches). */
  readonly source: string;
  /** Video frame index; null for still images. */
  readonly frameIndex: number | null;
  /** Video timestamp in ms; null for still images. */
  readonly timestampMs: number | null;
  /** 0-based face index within the frame (by detector order). */
  readonly faceIndex: number;
  /** Face box in source pixels. */
  readonly box: FaceBox;
  /** Detector confidence in [0, 1]. */
  readonly detectorScore: number;
  /** Mean landmark error of the fit, % of inter-ocular distance. */
  readonly fitErrorPercent: number;
  /** True when the detector found no face and the face-crop region was meshed instead. */
  readonly cropFallback?: boolean;
  /** Class label for folder-per-class datasets or the person for LFW. */
  readonly label?: string;
  /** Index of `label` in the header's `classes`. */
  readonly classIndex?: number;
}

/** An input that produced no descriptor. */
export interface SidecarFailure {
  readonly source: string;
  /** Video frame index when one frame failed, else null. */
  readonly frameIndex: number | null;
  /** Error code, e.g. `SEMFACE_ERR_NO_FACE`. */
  readonly code: string;
  readonly message: string;
}

/** A complete sidecar document. */
export interface DescriptorSidecar {
  readonly header: SidecarHeader;
  readonly rows: readonly SidecarRow[];
  readonly failures: readonly SidecarFailure[];
}

/** The sidecar path for a `.npy` path: `out.npy` -> `out.json`. */
export function sidecarPathFor(npyPath: string): string {
  return npyPath.endsWith('.npy') ? `${npyPath.slice(0, -4)}.json` : `${npyPath}.json`;
}

/** Builds a header stamped with the current time. */
export function createSidecarHeader(
  fields: Omit<SidecarHeader, 'format' | 'version' | 'created'> & { created?: string },
): SidecarHeader {
  return {
    format: SIDECAR_FORMAT,
    version: SIDECAR_VERSION,
    ...fields,
    created: fields.created ?? new Date().toISOString(),
  };
}

/** Writes a sidecar atomically (temp file + rename). Rows are one per line to keep diffs readable. */
export async function writeSidecar(path: string, sidecar: DescriptorSidecar): Promise<void> {
  const body = [
    '{',
    `"header": ${JSON.stringify(sidecar.header)},`,
    `"rows": [${sidecar.rows.length ? '\n' : ''}${sidecar.rows.map((r) => JSON.stringify(r)).join(',\n')}],`,
    `"failures": [${sidecar.failures.length ? '\n' : ''}${sidecar.failures.map((f) => JSON.stringify(f)).join(',\n')}]`,
    '}',
    '',
  ].join('\n');
  await writeFile(`${path}.partial`, body);
  await rename(`${path}.partial`, path);
}

/**
 * Reads a sidecar and checks its format tag, version and structure.
 * @throws InputNotFoundError, DatasetFormatError (SEMFACE_ERR_DATASET_FORMAT)
 */
export async function readSidecar(path: string): Promise<DescriptorSidecar> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputNotFoundError(path);
    throw err;
  }
  let doc: Partial<DescriptorSidecar>;
  try {
    doc = JSON.parse(text) as Partial<DescriptorSidecar>;
  } catch (err) {
    throw new DatasetFormatError(path, `not JSON: ${(err as Error).message}`);
  }
  if (doc.header?.format !== SIDECAR_FORMAT)
    throw new DatasetFormatError(path, 'not a semface descriptor sidecar');
  if (doc.header.version !== SIDECAR_VERSION) {
    throw new DatasetFormatError(path, `sidecar version ${doc.header.version} is not ${SIDECAR_VERSION}`);
  }
  if (!Array.isArray(doc.rows) || !Array.isArray(doc.failures)) {
    throw new DatasetFormatError(path, 'rows and failures must be arrays');
  }
  return doc as DescriptorSidecar;
}
