import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFormatError, InputNotFoundError } from '../errors.js';

/**
 * LFW (Labeled Faces in the Wild) protocol lists. `lfwRoot` is the folder that holds `pairs.txt`,
 * `people.txt`, the View 1 lists and the `lfw-deepfunneled/` image tree (`<dataRoot>/lfw`).
 */

/** One LFW image: a person and the 1-based image number. */
export interface LfwImageRef {
  /** Person name as in the folder name, e.g. `George_W_Bush`. */
  readonly name: string;
  /** 1-based image number (the `_0001` suffix). */
  readonly index: number;
}

/** One verification pair. */
export interface LfwPair {
  readonly a: LfwImageRef;
  readonly b: LfwImageRef;
  /** True when both images show the same person. */
  readonly same: boolean;
  /** 0-based fold (always 0 for the View 1 lists). */
  readonly fold: number;
}

/** A parsed pairs list. */
export interface LfwPairList {
  /** Number of folds (10 for View 2, 1 for View 1). */
  readonly folds: number;
  /** Same pairs per fold (= different pairs per fold). */
  readonly pairsPerClassPerFold: number;
  /** All pairs, fold by fold, same pairs before different ones in each fold (file order). */
  readonly pairs: readonly LfwPair[];
}

/** One person with their image count. */
export interface LfwPerson {
  readonly name: string;
  readonly imageCount: number;
  /** 0-based fold (always 0 for the View 1 lists). */
  readonly fold: number;
}

/** The LFW list files: View 2 (`pairs`, `people`) and View 1 (`*DevTrain`, `*DevTest`). */
export const LfwPairsFile = {
  view2: 'pairs.txt',
  devTrain: 'pairsDevTrain.txt',
  devTest: 'pairsDevTest.txt',
} as const;
export type LfwPairsFile = keyof typeof LfwPairsFile;
export const LfwPeopleFile = {
  view2: 'people.txt',
  devTrain: 'peopleDevTrain.txt',
  devTest: 'peopleDevTest.txt',
} as const;
export type LfwPeopleFile = keyof typeof LfwPeopleFile;

/** Folder of the deep-funneled images inside `lfwRoot`. */
export const LFW_IMAGE_DIR = 'lfw-deepfunneled';

/** Path of one LFW image: `<lfwRoot>/lfw-deepfunneled/<Name>/<Name>_0001.jpg`. */
export function lfwImagePath(lfwRoot: string, ref: LfwImageRef): string {
  return join(lfwRoot, LFW_IMAGE_DIR, ref.name, `${ref.name}_${String(ref.index).padStart(4, '0')}.jpg`);
}

function lines(text: string): string[] {
  const out = text.split(/\r?\n/);
  while (out.length > 0 && out[out.length - 1]?.trim() === '') out.pop();
  return out;
}

function positiveInt(field: string | undefined, what: string, label: string, lineNo: number): number {
  if (field === undefined || !/^\d+$/.test(field.trim())) {
    throw new DatasetFormatError(
      label,
      `line ${lineNo}: ${what} is not a positive integer: '${field ?? ''}'`,
    );
  }
  const value = Number.parseInt(field, 10);
  if (value <= 0) throw new DatasetFormatError(label, `line ${lineNo}: ${what} must be >= 1`);
  return value;
}

function fields(line: string): string[] {
  return line.trim().split(/\s+/);
}

/**
 * Parses the text of an LFW pairs file. The header is `<folds> <n>` (View 2) or `<n>` (View 1,
 * one fold); each fold then has n same-person lines `Name i j` and n different-person lines
 * `Name1 i Name2 j`. `label` names the file in errors.
 * @throws DatasetFormatError (SEMFACE_ERR_DATASET_FORMAT)
 */
export function parseLfwPairs(text: string, label = 'pairs.txt'): LfwPairList {
  const all = lines(text);
  const header = fields(all[0] ?? '');
  if (header.length < 1 || header.length > 2) throw new DatasetFormatError(label, 'line 1: bad header');
  const folds = header.length === 2 ? positiveInt(header[0], 'fold count', label, 1) : 1;
  const n = positiveInt(header[header.length - 1], 'pairs per fold', label, 1);
  const expectedLines = 1 + folds * 2 * n;
  if (all.length !== expectedLines) {
    throw new DatasetFormatError(
      label,
      `expected ${expectedLines} lines for ${folds} x (${n}+${n}), got ${all.length}`,
    );
  }
  const pairs: LfwPair[] = [];
  for (let fold = 0; fold < folds; fold++) {
    for (let k = 0; k < 2 * n; k++) {
      const lineNo = 2 + fold * 2 * n + k;
      const f = fields(all[lineNo - 1] ?? '');
      const same = k < n;
      if (same && f.length === 3) {
        const name = f[0]!;
        const a = { name, index: positiveInt(f[1], 'image number', label, lineNo) };
        const b = { name, index: positiveInt(f[2], 'image number', label, lineNo) };
        pairs.push({ a, b, same: true, fold });
      } else if (!same && f.length === 4) {
        const a = { name: f[0]!, index: positiveInt(f[1], 'image number', label, lineNo) };
        const b = { name: f[2]!, index: positiveInt(f[3], 'image number', label, lineNo) };
        pairs.push({ a, b, same: false, fold });
      } else {
        throw new DatasetFormatError(
          label,
          `line ${lineNo}: expected a ${same ? 'same-person (3 fields)' : 'different-person (4 fields)'} pair, got ${f.length} fields`,
        );
      }
    }
  }
  return { folds, pairsPerClassPerFold: n, pairs };
}

/**
 * Parses the text of an LFW people file: View 2 `people.txt` (`<folds>`, then per fold `<count>` and
 * `Name images` lines) or a View 1 list (`<count>` then `Name images` lines, one fold).
 * @throws DatasetFormatError (SEMFACE_ERR_DATASET_FORMAT)
 */
export function parseLfwPeople(text: string, label = 'people.txt'): LfwPerson[] {
  const all = lines(text);
  const first = positiveInt(all[0], 'header', label, 1);
  // View 2 has a folds header followed by a per-fold count line; View 1 goes straight to names.
  const folded = fields(all[1] ?? '').length === 1 && /^\d+$/.test(all[1]?.trim() ?? '');
  const people: LfwPerson[] = [];
  let cursor = 1;
  const readPeople = (count: number, fold: number): void => {
    for (let k = 0; k < count; k++) {
      const lineNo = cursor + 1;
      const f = fields(all[cursor] ?? '');
      if (f.length !== 2) throw new DatasetFormatError(label, `line ${lineNo}: expected 'Name count'`);
      people.push({ name: f[0]!, imageCount: positiveInt(f[1], 'image count', label, lineNo), fold });
      cursor++;
    }
  };
  if (folded) {
    for (let fold = 0; fold < first; fold++) {
      const count = positiveInt(all[cursor], 'people count', label, cursor + 1);
      cursor++;
      readPeople(count, fold);
    }
  } else {
    readPeople(first, 0);
  }
  if (cursor !== all.length) {
    throw new DatasetFormatError(label, `${all.length - cursor} unexpected lines after the last person`);
  }
  return people;
}

async function readList(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputNotFoundError(path);
    throw err;
  }
}

/**
 * Reads an LFW pairs list from `lfwRoot` (default: View 2 `pairs.txt`).
 * @throws InputNotFoundError, DatasetFormatError
 */
export async function readLfwPairs(lfwRoot: string, file: LfwPairsFile = 'view2'): Promise<LfwPairList> {
  const path = join(lfwRoot, LfwPairsFile[file]);
  return parseLfwPairs(await readList(path), path);
}

/**
 * Reads an LFW people list from `lfwRoot` (default: View 2 `people.txt`).
 * @throws InputNotFoundError, DatasetFormatError
 */
export async function readLfwPeople(lfwRoot: string, file: LfwPeopleFile = 'view2'): Promise<LfwPerson[]> {
  const path = join(lfwRoot, LfwPeopleFile[file]);
  return parseLfwPeople(await readList(path), path);
}
