/** Accuracy of one verification system under the k-fold protocol. */
export interface VerificationScore {
  /** Mean accuracy over folds, in [0, 1]. */
  readonly mean: number;
  /** Standard deviation of the fold accuracies (population, as in the LFW papers' tables). */
  readonly std: number;
  readonly perFold: readonly number[];
  /** Distance threshold used for each fold (chosen on the other folds). */
  readonly thresholds: readonly number[];
  /** Pairs scored (pairs whose two faces were available). */
  readonly pairs: number;
}

/** One scored pair: a distance (smaller = more alike) or NaN when a face was missing. */
export interface ScoredPair {
  readonly distance: number;
  readonly same: boolean;
  readonly fold: number;
}

/** The threshold with the best accuracy on `pairs` (midpoint between neighbouring distances). */
export function bestThreshold(pairs: readonly ScoredPair[]): number {
  const sorted = pairs.filter((p) => Number.isFinite(p.distance)).sort((a, b) => a.distance - b.distance);
  if (sorted.length === 0) return 0;
  // Predict "same" for distance < t. Sweep t over midpoints; correct = same below + different above.
  let diffAbove = sorted.filter((p) => !p.same).length;
  let sameBelow = 0;
  let best = diffAbove;
  let bestT = sorted[0]!.distance - 1e-6;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.same) sameBelow++;
    else diffAbove--;
    const next = sorted[i + 1]?.distance ?? sorted[i]!.distance + 1e-6;
    if (next === sorted[i]!.distance) continue;
    if (sameBelow + diffAbove > best) {
      best = sameBelow + diffAbove;
      bestT = (sorted[i]!.distance + next) / 2;
    }
  }
  return bestT;
}

function accuracyAt(pairs: readonly ScoredPair[], t: number): number {
  if (pairs.length === 0) return Number.NaN;
  let ok = 0;
  for (const p of pairs) if (Number.isFinite(p.distance) && p.distance < t === p.same) ok++;
  return ok / pairs.length;
}

/**
 * k-fold verification accuracy: for each fold the threshold is chosen on the other folds only and
 * applied to the held-out fold (LFW View 2 protocol). With a single fold the threshold is chosen on
 * that fold itself (optimistic; reported as such). Pairs with a missing face (NaN) count as wrong.
 * `distancesForFold(k)` may give different distances per fold (heads trained per fold).
 */
export function kFoldVerification(
  folds: number,
  distancesForFold: (fold: number) => readonly ScoredPair[],
): VerificationScore {
  const perFold: number[] = [];
  const thresholds: number[] = [];
  let pairs = 0;
  for (let k = 0; k < folds; k++) {
    const all = distancesForFold(k);
    const train = folds > 1 ? all.filter((p) => p.fold !== k) : all;
    const test = all.filter((p) => p.fold === k);
    const t = bestThreshold(train);
    thresholds.push(t);
    perFold.push(accuracyAt(test, t));
    pairs += test.filter((p) => Number.isFinite(p.distance)).length;
  }
  const valid = perFold.filter((a) => Number.isFinite(a));
  const mean = valid.reduce((s, a) => s + a, 0) / Math.max(1, valid.length);
  const std = Math.sqrt(valid.reduce((s, a) => s + (a - mean) ** 2, 0) / Math.max(1, valid.length));
  return { mean, std, perFold, thresholds, pairs };
}

/** Euclidean distance between two vectors of equal length. */
export function euclidean(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Cosine distance 1 - cos(a, b); 1 when either vector is zero. */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? 1 - ab / Math.sqrt(aa * bb) : 1;
}
