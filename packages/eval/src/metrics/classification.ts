/** Accuracy of one expression system. */
export interface ClassificationScore {
  /** Fraction of items classified correctly (missing predictions count as wrong), in [0, 1]. */
  readonly accuracy: number;
  /** Items scored. */
  readonly items: number;
  /** Items with a prediction (a face/descriptor was available). */
  readonly predicted: number;
  /** Accuracy per true class index (NaN for classes without items). */
  readonly perClass: readonly number[];
}

/** Scores predictions (-1 = no prediction) against truth class indices. */
export function classificationScore(
  truth: readonly number[],
  predicted: readonly number[],
  classes: number,
): ClassificationScore {
  const hit = new Array<number>(classes).fill(0);
  const count = new Array<number>(classes).fill(0);
  let ok = 0;
  let have = 0;
  truth.forEach((t, i) => {
    const p = predicted[i] ?? -1;
    if (p >= 0) have++;
    if (t >= 0 && t < classes) count[t]!++;
    if (p === t) {
      ok++;
      if (t >= 0 && t < classes) hit[t]!++;
    }
  });
  return {
    accuracy: truth.length ? ok / truth.length : Number.NaN,
    items: truth.length,
    predicted: have,
    perClass: hit.map((h, c) => (count[c]! > 0 ? h / count[c]! : Number.NaN)),
  };
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
