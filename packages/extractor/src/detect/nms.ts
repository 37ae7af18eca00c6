/** A candidate box with corners in any consistent unit. */
export interface ScoredBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly score: number;
}

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: ScoredBox, b: ScoredBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression: keeps the best-scoring box, drops every remaining box overlapping it
 * by more than `iouThreshold`, repeats. Returns kept candidates, best first, at most `maxKeep`.
 */
export function nonMaxSuppression<T extends ScoredBox>(
  candidates: readonly T[],
  iouThreshold: number,
  maxKeep: number,
): T[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const c of sorted) {
    if (kept.length >= maxKeep) break;
    if (kept.every((k) => iou(k, c) <= iouThreshold)) kept.push(c);
  }
  return kept;
}
