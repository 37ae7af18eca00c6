import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  DEFAULT_IDENTITY_CODE_MODEL_PATH,
  type IdentityCodeModel,
  decodeIdentityCode,
  encodeIdentityCode,
  loadIdentityCodeModel,
  identityCodeVector,
} from '@semface/codec-core';
import { readNpy } from '@semface/extractor';
import { imageKey } from '../data/descriptor-cache.js';
import type { VerificationSet } from '../data/verification-set.js';
import { type ScoredPair, cosineDistance, kFoldVerification } from '../metrics/verification.js';
import type { EvalPoint, PointScore } from './eval-point.js';
import type { VerificationEvalOptions } from './eval-options.js';

/** Curve of the identity-code points (and name prefix of its ceiling). */
export const IDENTITY_CODE_CURVE = 'semface identity code (face-api net)';

interface Embeddings {
  readonly dim: number;
  /** Image key -> embedding. */
  readonly byKey: ReadonlyMap<string, Float32Array>;
}

async function loadEmbeddings(npy: string): Promise<Embeddings> {
  const m = await readNpy(npy);
  const set = basename(npy).split('-')[0]!;
  const rowsPath = join(dirname(npy), `${set}-rows.json`);
  const rows = (JSON.parse(await readFile(rowsPath, 'utf8')) as { rows: { source: string }[] }).rows;
  if (rows.length !== m.rows) throw new Error(`${rowsPath}: ${rows.length} rows, ${npy}: ${m.rows}`);
  const byKey = new Map<string, Float32Array>();
  rows.forEach((r, i) => {
    const k = imageKey(r.source);
    if (!byKey.has(k)) byKey.set(k, m.data.subarray(i * m.cols, (i + 1) * m.cols));
  });
  return { dim: m.cols, byKey };
}

function scoreVectors(
  set: VerificationSet,
  perFold: (k: number) => (Float32Array | undefined)[],
): PointScore {
  const pairs = (k: number, coveredOnly: boolean): ScoredPair[] => {
    const vecs = perFold(k);
    const out: ScoredPair[] = [];
    for (const p of set.pairs) {
      const a = vecs[imageIndex(set, p.pathA)];
      const b = vecs[imageIndex(set, p.pathB)];
      const d = a && b ? cosineDistance(a, b) : Number.NaN;
      if (!coveredOnly || Number.isFinite(d)) out.push({ distance: d, same: p.same, fold: p.fold });
    }
    return out;
  };
  const all = kFoldVerification(set.folds, (k) => pairs(k, false));
  const cov = kFoldVerification(set.folds, (k) => pairs(k, true));
  const p0 = pairs(0, false);
  return {
    accuracy: all.mean,
    std: all.std,
    perFold: all.perFold,
    accuracyCovered: cov.mean,
    items: p0.length,
    covered: p0.filter((p) => Number.isFinite(p.distance)).length,
  };
}

const indexCache = new WeakMap<VerificationSet, Map<string, number>>();
function imageIndex(set: VerificationSet, path: string): number {
  let m = indexCache.get(set);
  if (!m) {
    m = new Map(set.images.map((p, i) => [p, i]));
    indexCache.set(set, m);
  }
  return m.get(path) ?? -1;
}

/**
 * Identity-code points (issue 13) on the same pairs and protocol as the descriptor points: every image's
 * recogniser embedding is coded (codec-core `encodeIdentityCode`), decoded from the bytes, and pairs are
 * scored by the cosine of the decoded vectors; thresholds per fold from the other nine folds
 * (`kFoldVerification`). With `fold-<k>.json` models for every fold, fold k is coded by the model fitted
 * without fold k's people; else the shipped model codes all folds (noted as optimistic).
 * Also adds the ceiling: the uncompressed float32 embedding, cosine.
 */
export async function identityCodePoints(
  set: VerificationSet,
  v: VerificationEvalOptions,
  notes: string[],
): Promise<EvalPoint[]> {
  const npy = v.identityCodeEmbeddings;
  if (!npy || !existsSync(npy)) {
    notes.push(
      `verification: no identity-code embeddings${npy ? ` at ${npy}` : ''}, no identity-code points`,
    );
    return [];
  }
  const emb = await loadEmbeddings(npy);
  const vecs = set.images.map((p) => emb.byKey.get(imageKey(p)));
  const folds: IdentityCodeModel[] = [];
  const dir = v.identityCodeModels;
  const perFold =
    dir !== undefined && [...Array(set.folds).keys()].every((k) => existsSync(join(dir, `fold-${k}.json`)));
  if (perFold)
    for (let k = 0; k < set.folds; k++) folds.push(await loadIdentityCodeModel(join(dir!, `fold-${k}.json`)));
  else {
    notes.push(
      'verification: identity code scored with the shipped model on every fold (fitted on all LFW: optimistic)',
    );
    folds.push(await loadIdentityCodeModel(DEFAULT_IDENTITY_CODE_MODEL_PATH));
  }
  const model = (k: number) => folds[perFold ? k : 0]!;
  const scorer = perFold
    ? 'identity code: model per fold (fitted without the fold’s people), cosine of decoded codes'
    : 'identity code: shipped model (fitted on all LFW: optimistic), cosine of decoded codes';
  const points: EvalPoint[] = [
    {
      task: 'verification',
      family: 'ceiling',
      curve: 'ceiling recognizer embedding (face-api net, float32)',
      bitsPerFace: emb.dim * 32,
      ...scoreVectors(set, () => vecs),
      scorer: 'face-api 128-D embedding of the original image (mesh-aligned crop), cosine',
    },
  ];
  for (let r = 0; r < model(0).ratePoints.length; r++) {
    const coded = new Map<number, (Float32Array | undefined)[]>();
    const codedFor = (k: number) => {
      const key = perFold ? k : 0;
      let c = coded.get(key);
      if (!c) {
        const m = model(k);
        c = vecs.map((e) =>
          e
            ? Float32Array.from(identityCodeVector(m, decodeIdentityCode(encodeIdentityCode(m, e, r), m)))
            : undefined,
        );
        coded.set(key, c);
      }
      return c;
    };
    const rp = model(0).ratePoints[r]!;
    points.push({
      task: 'verification',
      family: 'identity-code',
      curve: IDENTITY_CODE_CURVE,
      bitsPerFace: rp.bits,
      overheadBitsPerFace: 32,
      profile: 'identity-code',
      rateIndex: r,
      modelId: `idcode:${model(0).id}${perFold ? ' (fold models)' : ''}`,
      ...scoreVectors(set, codedFor),
      scorer,
    });
  }
  return points;
}
