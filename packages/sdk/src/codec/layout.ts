/**
 * Descriptor layout constants the SDK needs, from their one home in @semface/codec-core. The
 * `./layout` subpath is Node-free (no fs, crypto or onnxruntime), so the SDK core runs in browsers.
 */
export {
  DESCRIPTOR_LENGTH,
  DescriptorField,
  PROFILE_NAMES,
  type ProfileName,
} from '@semface/codec-core/layout';
// Type-only: erased from the emitted JavaScript, so it pulls in nothing at run time.
export type { CoderName } from '@semface/codec-core';
