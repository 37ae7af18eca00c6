import { RigModelError } from '../errors.js';

/**
 * Left/right partners among rig vertices from their canonical positions (`n * 3`): row i's partner is
 * the row nearest to row i mirrored across x = 0 (the canonical frame is centred; `vertexMirrorMap` of
 * `@semface/face-model` does the same on the whole mesh). The rig's landmark set is closed under
 * mirroring, so this is an involution; midline vertices map to themselves.
 * @throws RigModelError when it is not an involution.
 */
export function mirrorPartners(positions: ArrayLike<number>): Uint16Array {
  const n = positions.length / 3;
  const m = positions;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    let best = i;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const d =
        (m[j * 3]! + m[i * 3]!) ** 2 +
        (m[j * 3 + 1]! - m[i * 3 + 1]!) ** 2 +
        (m[j * 3 + 2]! - m[i * 3 + 2]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    out[i] = best;
  }
  for (let i = 0; i < n; i++) {
    if (out[out[i]!] !== i) throw new RigModelError('rig vertices are not closed under mirroring');
  }
  return out;
}
