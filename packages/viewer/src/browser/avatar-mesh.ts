import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/sdk/browser';
import { type FaceModel, meshFromDescriptor } from '@semface/face-model';
import { BrowserDecodeError } from '../errors.js';

/** A posed, coloured avatar mesh. */
export interface AvatarMesh {
  /** `V * 3` posed positions (x right, y down, z away from the camera), pixels of the frame. */
  readonly positions: Float32Array;
  /** `V * 3` vertex colours, 0-255. */
  readonly colors: Uint8Array;
}

/** Frame the avatar is posed in, pixels (the demo server uses the same). */
export const AVATAR_FRAME_SIZE = 512;
const FRAME = Object.freeze({ width: AVATAR_FRAME_SIZE, height: AVATAR_FRAME_SIZE });

/**
 * Rebuilds the posed, coloured mesh a decoded descriptor describes (`@semface/face-model`'s
 * `meshFromDescriptor`), head centred (translation x/y dropped, scale kept), in a
 * {@link AVATAR_FRAME_SIZE}-pixel frame, with 0-255 colours.
 */
export function avatarMeshFromDescriptor(model: FaceModel, descriptor: Float32Array): AvatarMesh {
  if (!(descriptor instanceof Float32Array) || descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new BrowserDecodeError(`expected a Float32Array of ${DESCRIPTOR_LENGTH} values`);
  }
  const centred = Float32Array.from(descriptor);
  centred.fill(0, DescriptorField.translation.start, DescriptorField.translation.start + 2);
  const mesh = meshFromDescriptor(model, centred, FRAME);
  return { positions: mesh.positions, colors: Uint8Array.from(mesh.colors, (c) => Math.round(c * 255)) };
}
