import { vertexMirrorMap } from '@semface/face-model';
import { RigModelError } from '../errors.js';

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
