/**
 * Descriptor layout constants the SDK needs, from their one home in @semface/codec-core.
 * Kept in this one module so a later Node-free layout entry of codec-core is a one-line switch.
 */
export { DESCRIPTOR_LENGTH, PROFILE_NAMES, type ProfileName } from '@semface/codec-core';
export type { CoderName } from '@semface/codec-core';
