import { existsSync } from 'node:fs';
import { profileIndices } from '@semface/codec-core';
import { FaceEmbedder } from '@semface/extractor';
import type { ReceiverHeads } from '@semface/sdk';
import { type RawImage, rawToRgba } from '../baselines/raw-image.js';
import { type DescriptorCache, cacheRow, imageKey, loadDescriptorCache } from '../data/descriptor-cache.js';
import { type VerificationSet, readVerificationSet } from '../data/verification-set.js';
import { EvalDatasetError } from '../errors.js';
import { faceCrops } from '../images/face-crops.js';
import { type ScoredPair, cosineDistance, euclidean, kFoldVerification } from '../metrics/verification.js';
import { descriptorPoint } from './descriptor-point.js';
import { descriptorVariants, loadCodec, loadHeads } from './descriptor-variants.js';
import { identityCodePoints } from './identity-code-eval.js';
import type { EvalPoint, PointScore } from './eval-point.js';
import type { CommonEvalOptions, VerificationEvalOptions } from './eval-options.js';
import { sweepImageBudgets } from './image-budget-sweep.js';

type Vectors = (Float32Array | undefined)[];

/** Pairs scored with per-image vectors; a missing vector gives NaN. */
function scorePairs(
  set: VerificationSet,
  index: ReadonlyMap<string, number>,
  vectors: Vectors,
  distance: (a: Float32Array, b: Float32Array) => number,
  keep?: (pairIndex: number) => boolean,
): ScoredPair[] {
  const out: ScoredPair[] = [];
  set.pairs.forEach((p, i) => {
    if (keep && !keep(i)) return;
    const a = vectors[index.get(p.pathA)!];
    const b = vectors[index.get(p.pathB)!];
    out.push({ distance: a && b ? distance(a, b) : Number.NaN, same: p.same, fold: p.fold });
  });
  return out;
}

function score(
  set: VerificationSet,
  perFold: (fold: number) => ScoredPair[],
  covered: (fold: number) => ScoredPair[],
): PointScore {
  const all = kFoldVerification(set.folds, perFold);
  const cov = kFoldVerification(set.folds, covered);
  const pairs = perFold(0);
  return {
    accuracy: all.mean,
    std: all.std,
    perFold: all.perFold,
    accuracyCovered: cov.mean,
    items: pairs.length,
    covered: pairs.filter((p) => Number.isFinite(p.distance)).length,
  };
}

/** Verification points: descriptor pipelines on all (or limited) pairs, image baselines on a subset. */
export async function evaluateVerification(
  v: VerificationEvalOptions,
  common: CommonEvalOptions,
  notes: string[],
): Promise<EvalPoint[]> {
  const points: EvalPoint[] = [];
  const set = await readVerificationSet(v.pairsFile, v.imageRoot, v.limitPerFold);
  const cache = existsSync(v.descriptors) ? await loadDescriptorCache(v.descriptors) : undefined;
  if (cache) points.push(...(await descriptorPoints(set, cache, common, notes)));
  else notes.push(`verification: no descriptor cache at ${v.descriptors}, image baselines only`);
  points.push(...(await identityCodePoints(set, v, notes)));
  if (v.imageLimitPerFold === 0 || common.imageCodecs.length === 0) return points;
  const bitsByProfile = points.filter((p) => p.retrained).map((p) => p.bitsPerFace);
  points.push(...(await imageBaselines(v, common, bitsByProfile, notes)));
  return points;
}

async function descriptorPoints(
  set: VerificationSet,
  cache: DescriptorCache,
  common: CommonEvalOptions,
  notes: string[],
): Promise<EvalPoint[]> {
  const progress = common.onProgress ?? (() => {});
  const points: EvalPoint[] = [];
  const index = new Map(set.images.map((p, i) => [p, i]));
  const rows = set.images.map((p) => cache.byKey.get(imageKey(p)));
  const present = rows.map((r) => r !== undefined);
  if (!present.some(Boolean)) throw new EvalDatasetError(set.name, 'no image of the pairs has a descriptor');
  const descriptors = rows.flatMap((r) => (r === undefined ? [] : [cacheRow(cache, r)]));
  const expand = (vs: readonly Float32Array[]): Vectors => {
    let k = 0;
    return present.map((ok) => (ok ? vs[k++] : undefined));
  };
  const coveredPair = (i: number) =>
    present[index.get(set.pairs[i]!.pathA)!]! && present[index.get(set.pairs[i]!.pathB)!]!;

  // Heads: per-fold models when shipped (never saw the test fold's people), else the deployed model.
  const foldHeads: (ReceiverHeads | undefined)[] = [];
  for (let k = 0; k < set.folds; k++) foldHeads.push(await loadHeads(common.headsDir, k));
  const perFoldHeads = foldHeads.every(Boolean);
  const deployed = perFoldHeads ? undefined : await loadHeads(common.headsDir);
  const headsOk =
    perFoldHeads || deployed?.manifest.heads.some((h) => h.kind === 'verification' && h.fold === undefined);
  const scorer = perFoldHeads
    ? 'verification head per fold (trained without the fold’s people), euclidean'
    : headsOk
      ? 'deployed verification head (trained on all folds: optimistic), euclidean'
      : 'no verification head: cosine distance of raw identity+texture fields';
  if (!perFoldHeads) notes.push(`verification: ${scorer}`);
  const identity = profileIndices('identity');
  const rawVec = (d: Float32Array) => Float32Array.from(identity, (i) => d[i]!);

  const codec = await loadCodec(common.codecModelsDir);
  if (!codec) notes.push('verification: no codec models found, only uncoded descriptors are scored');
  let step = 0;
  for await (const variant of descriptorVariants(codec, descriptors, 'identity', common.coders)) {
    progress({ phase: `verification: ${variant.curve}`, done: step++, total: 0 });
    let perFold: (k: number) => ScoredPair[];
    if (headsOk) {
      const vecs: Vectors[] = [];
      for (let k = 0; k < set.folds; k++) {
        const h = perFoldHeads ? foldHeads[k]! : deployed!;
        if (!perFoldHeads && k > 0) vecs.push(vecs[0]!);
        else vecs.push(expand(await h.verificationVectors(variant.decoded as Float32Array[])));
      }
      perFold = (k) => scorePairs(set, index, vecs[k]!, euclidean);
    } else {
      const vecs = expand(variant.decoded.map(rawVec));
      perFold = () => scorePairs(set, index, vecs, cosineDistance);
    }
    const coveredFold = (k: number) => perFold(k).filter((p) => Number.isFinite(p.distance));
    points.push(descriptorPoint('verification', variant, score(set, perFold, coveredFold), scorer));
  }
  for (const h of [...foldHeads, deployed]) await h?.dispose();

  return points;
}

async function imageBaselines(
  v: VerificationEvalOptions,
  common: CommonEvalOptions,
  semfaceBits: readonly number[],
  notes: string[],
): Promise<EvalPoint[]> {
  const progress = common.onProgress ?? (() => {});
  const set = await readVerificationSet(v.pairsFile, v.imageRoot, v.imageLimitPerFold ?? v.limitPerFold);
  const cache = existsSync(v.descriptors) ? await loadDescriptorCache(v.descriptors) : undefined;
  const index = new Map(set.images.map((p, i) => [p, i]));
  const crops = await faceCrops(set.images, (done) =>
    progress({ phase: 'verification: face crops', done, total: set.images.length }),
  );
  const hasDescriptor = set.images.map((p) => cache?.byKey.has(imageKey(p)) ?? true);
  const cropList = set.images.map((p) => crops.get(p));
  const ok = cropList.map((c, i) => c !== undefined && hasDescriptor[i]!);
  const okPair = (i: number) => ok[index.get(set.pairs[i]!.pathA)!]! && ok[index.get(set.pairs[i]!.pathB)!]!;
  const present = cropList.flatMap((c) => (c ? [c] : []));
  const embedder = await FaceEmbedder.create();
  const points: EvalPoint[] = [];
  const evaluate = async (images: readonly RawImage[]) => {
    const vecs = await embedder.embedCrops(images.map(rawToRgba));
    let k = 0;
    const all: Vectors = cropList.map((c) => (c ? vecs[k++] : undefined));
    const perFold = () => scorePairs(set, index, all, euclidean);
    return score(set, perFold, () => scorePairs(set, index, all, euclidean, okPair));
  };
  try {
    points.push({
      task: 'verification',
      family: 'ceiling',
      curve: 'ceiling images',
      bitsPerFace: 150 * 150 * 24,
      ...(await evaluate(present)),
      scorer: 'face-api embedding of the uncompressed crop, euclidean',
    });
    points.push(
      ...(await sweepImageBudgets(
        {
          task: 'verification',
          images: present,
          sizes: v.sizes,
          semfaceBits,
          evaluate,
          scorer: 'face-api embedding of the decoded crop, euclidean',
        },
        common,
        notes,
      )),
    );
  } finally {
    await embedder.dispose();
  }
  return points;
}
