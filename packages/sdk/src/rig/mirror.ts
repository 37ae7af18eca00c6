import { RigModelError } from '../errors.js';
import type { FaceRigModel } from './face-rig-model.js';
import { type HeadPose, headPoseFromAngles } from './head-pose.js';

/**
 * Left/right partners among the rig model's vertices (row indices): row i's partner is the row whose
 * mean position is nearest to row i mirrored across x = 0 (the canonical frame is centred; the
 * extractor's `mirrorMap` does the same on the whole mesh). The landmark set is closed under
 * mirroring, so this is an involution; midline vertices map to themselves.
 */
export function rigMirrorMap(model: FaceRigModel): Uint16Array {
  const n = model.vertices.length;
  const m = model.mean;
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

/**
 * The mirror image of a canonical rig shape (`model.vertices.length * 3`): x negated, left and right
 * partners swapped. What a horizontally flipped camera shows, exactly, at the measured vertices.
 * (Mirroring whole descriptors is not exact: the learned expression basis is not closed under
 * mirroring, so a mirrored mesh projected back keeps ~15% residual.)
 */
export function mirrorRigShape(
  model: FaceRigModel,
  shape: Float64Array,
  map = rigMirrorMap(model),
): Float64Array {
  const out = new Float64Array(shape.length);
  for (let i = 0; i < map.length; i++) {
    const p = map[i]!;
    out[i * 3] = -shape[p * 3]!;
    out[i * 3 + 1] = shape[p * 3 + 1]!;
    out[i * 3 + 2] = shape[p * 3 + 2]!;
  }
  return out;
}

/** The head pose seen in a horizontal mirror: pitch kept, yaw and roll negated (`R -> M R M`). */
export function mirrorHeadPose(pose: HeadPose): HeadPose {
  return headPoseFromAngles(pose.pitch, -pose.yaw, -pose.roll);
}
