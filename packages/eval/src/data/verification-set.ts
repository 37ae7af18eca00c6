import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LFW_IMAGE_DIR, type LfwPairList, parseLfwPairs } from '@semface/extractor';
import { readFile } from 'node:fs/promises';
import { EvalDatasetError } from '../errors.js';

/** One verification pair resolved to image paths. */
export interface VerificationPair {
  readonly pathA: string;
  readonly pathB: string;
  readonly same: boolean;
  readonly fold: number;
}

/** A pairs list (LFW `pairs.txt` format) resolved against an image root. */
export interface VerificationSet {
  readonly name: string;
  readonly folds: number;
  readonly pairs: readonly VerificationPair[];
  /** Distinct image paths, in first-use order. */
  readonly images: readonly string[];
}

/**
 * Reads a pairs file in LFW format (`<folds> <n>` header, `Name i j` / `Name1 i Name2 j` lines) and
 * resolves each reference to `<imageRoot>/<Name>/<Name>_<i:04>.jpg`. When `imageRoot` has an
 * `lfw-deepfunneled/` folder the images are taken from there (the LFW layout).
 * `limitPerFold` keeps the first k same and first k different pairs of every fold.
 */
export async function readVerificationSet(
  pairsFile: string,
  imageRoot: string,
  limitPerFold?: number,
): Promise<VerificationSet> {
  let list: LfwPairList;
  try {
    list = parseLfwPairs(await readFile(pairsFile, 'utf8'), pairsFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new EvalDatasetError(pairsFile, 'pairs file not found');
    }
    throw err;
  }
  const root = existsSync(join(imageRoot, LFW_IMAGE_DIR)) ? join(imageRoot, LFW_IMAGE_DIR) : imageRoot;
  const path = (name: string, index: number) =>
    join(root, name, `${name}_${String(index).padStart(4, '0')}.jpg`);
  const n = list.pairsPerClassPerFold;
  const pairs: VerificationPair[] = [];
  list.pairs.forEach((p, i) => {
    const k = i % (2 * n);
    const rank = p.same ? k : k - n;
    if (limitPerFold !== undefined && rank >= limitPerFold) return;
    pairs.push({
      pathA: path(p.a.name, p.a.index),
      pathB: path(p.b.name, p.b.index),
      same: p.same,
      fold: p.fold,
    });
  });
  const images = [...new Set(pairs.flatMap((p) => [p.pathA, p.pathB]))];
  return { name: pairsFile, folds: list.folds, pairs, images };
}
