/**
 * The 257-D face descriptor layout, in the Deep3DFaceRecon order used by existing tools.
 * Every package reads field offsets from here; nothing else hard-codes them. The values come from
 * the data contract packages/codec-core/contracts/descriptor-layout.json (through the generated
 * ./contract-data.ts), which Python training reads too (training/codec/layout.py).
 */
import {
  CONTRACT_DESCRIPTOR_LENGTH,
  CONTRACT_FIELDS,
  CONTRACT_PROFILES,
  CONTRACT_PROFILE_NAMES,
} from './contract-data.js';

/** Length of the full descriptor (257). */
export const DESCRIPTOR_LENGTH = CONTRACT_DESCRIPTOR_LENGTH;

/** Field groups of the descriptor: half-open `[start, end)` ranges. */
export const DescriptorField = CONTRACT_FIELDS;

/** Name of one descriptor field group. */
export type DescriptorFieldName = keyof typeof DescriptorField;

/** All field names in layout order. */
export const DESCRIPTOR_FIELD_NAMES = Object.freeze(Object.keys(DescriptorField) as DescriptorFieldName[]);

/**
 * Partial profiles: the fields a receiver needs for one task.
 * `expression` feeds expression recognition and animation; `identity` feeds verification.
 */
export const Profile = CONTRACT_PROFILES satisfies Record<string, readonly DescriptorFieldName[]>;

/** Name of a descriptor profile. */
export type ProfileName = keyof typeof Profile;

/** Profile names in wire order (their index is the profile's wire value). */
export const PROFILE_NAMES = Object.freeze(CONTRACT_PROFILE_NAMES satisfies readonly ProfileName[]);

/** Length of one field group. */
export function fieldLength(name: DescriptorFieldName): number {
  const f = DescriptorField[name];
  return f.end - f.start;
}

/** Indices into the 257-D descriptor covered by a profile, in layout order. */
export function profileIndices(profile: ProfileName): Uint16Array {
  const fields = Profile[profile];
  const out: number[] = [];
  for (const name of DESCRIPTOR_FIELD_NAMES) {
    if (!(fields as readonly string[]).includes(name)) continue;
    const f = DescriptorField[name];
    for (let i = f.start; i < f.end; i++) out.push(i);
  }
  return Uint16Array.from(out);
}

/**
 * Whether a model of profile `outer` can carry profile `inner`: every field of `inner` is in `outer`.
 * A full model carries the partial profiles without retraining (encode option `modelProfile`).
 */
export function profileCovers(outer: ProfileName, inner: ProfileName): boolean {
  const fields = Profile[outer] as readonly DescriptorFieldName[];
  return (Profile[inner] as readonly DescriptorFieldName[]).every((f) => fields.includes(f));
}

/** Number of descriptor values a profile carries (257, 70 or 160). */
export function profileLength(profile: ProfileName): number {
  return profileIndices(profile).length;
}

/** A view of one field group of a descriptor (no copy). */
export function fieldView(descriptor: Float32Array, name: DescriptorFieldName): Float32Array {
  const f = DescriptorField[name];
  return descriptor.subarray(f.start, f.end);
}
