import { mirrorPoints, vertexMirrorMap } from '@semface/face-model';
import { RigModelError } from '../errors.js';
import type { FaceRigModel } from './face-rig-model.js';
import { type HeadPose, headPoseFromAngles } from './head-pose.js';

/**
 * Left/right partners among rig vertices from their canonical positions (`n * 3`): the face model's
 * `vertexMirrorMap` on the rig's rows. The rig's landmark set is closed under mirroring, so this must
 * be an involution; midline vertices map to themselves.
 * @throws RigModelError when it is not an involution.
 */
export function mirrorPartners(positions: ArrayLike<number>): Uint16Array {
  const out = vertexMirrorMap(positions, positions.length / 3);
  for (let i = 0; i < out.length; i++) {
    if (out[out[i]!] !== i) throw new RigModelError('rig vertices are not closed under mirroring');
  }
  return out;
}

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
  return mirrorPoints(shape, map, new Float64Array(shape.length));
}

/** The head pose seen in a horizontal mirror: pitch kept, yaw and roll negated (`R -> M R M`). */
export function mirrorHeadPose(pose: HeadPose): HeadPose {
  return headPoseFromAngles(pose.pitch, -pose.yaw, -pose.roll);
}
