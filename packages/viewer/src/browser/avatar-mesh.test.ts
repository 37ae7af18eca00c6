import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/sdk/browser';
import { DEFAULT_FACE_MODEL_DIR, FaceFitter } from '@semface/extractor';
import { loadFaceModel } from '@semface/face-model/node';
import { describe, expect, it } from 'vitest';
import { BrowserDecodeError } from '../errors.js';
import { AVATAR_FRAME_SIZE, avatarMeshFromDescriptor } from './avatar-mesh.js';

function descriptor(seed: number): Float32Array {
  const d = Float32Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => 0.3 * Math.sin(seed * 7 + i * 1.3));
  d.set([0.1, -0.2, 0.05], DescriptorField.rotation.start);
  d.set([0.2, -0.1, 1.2], DescriptorField.translation.start);
  d[DescriptorField.lighting.start] = 0.8;
  d[DescriptorField.lighting.start + 9] = 0.8;
  d[DescriptorField.lighting.start + 18] = 0.8;
  return d;
}

describe('avatarMeshFromDescriptor (FaceFitter.meshFromDescriptor, head centred, 0-255 colours)', async () => {
  const model = await loadFaceModel(DEFAULT_FACE_MODEL_DIR);

  it('matches the extractor on the trained face model (head centred as the demo server does)', async () => {
    const fitter = await FaceFitter.load();
    for (const seed of [1, 2, 3]) {
      const d = descriptor(seed);
      const centred = Float32Array.from(d);
      centred[DescriptorField.translation.start] = 0;
      centred[DescriptorField.translation.start + 1] = 0;
      const want = fitter.meshFromDescriptor(centred, {
        width: AVATAR_FRAME_SIZE,
        height: AVATAR_FRAME_SIZE,
      });
      const got = avatarMeshFromDescriptor(model, d);
      expect(got.positions.length).toBe(want.positions.length);
      let maxPos = 0;
      for (let i = 0; i < got.positions.length; i++) {
        maxPos = Math.max(maxPos, Math.abs(got.positions[i]! - want.positions[i]!));
      }
      expect(maxPos).toBe(0);
      let maxColor = 0;
      for (let i = 0; i < got.colors.length; i++) {
        maxColor = Math.max(maxColor, Math.abs(got.colors[i]! - Math.round(want.colors[i]! * 255)));
      }
      expect(maxColor).toBe(0);
    }
  });

  it('rejects a wrong descriptor', () => {
    expect(() => avatarMeshFromDescriptor(model, new Float32Array(3))).toThrow(BrowserDecodeError);
  });
});
