import type { FaceRigModel } from './face-rig-model.js';
import { type HeadPose, headPoseFromAngles } from './head-pose.js';
import { mirrorPartners } from './mirror-partners.js';

/**
 * Left/right partners among the rig model's vertices (row indices); see {@link mirrorPartners}.
 * @throws RigModelError when the vertices are not closed under mirroring.
 */
export function rigMirrorMap(model: FaceRigModel): Uint16Array {
  return mirrorPartners(model.mean);
}

/**
 * The mirror image of a canonical rig shape (`model.vertices.length * 3`): x negated, left and right
 * partners swapped. What a horizontally flipped camera shows, exactly, at the measured vertices.
 * ({@link FaceRigModel.fromFaceModel} makes the rows symmetric, so the shape of a mirrored descriptor
 * is this mirror image.)
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
