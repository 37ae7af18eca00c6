import { ARKIT_BLENDSHAPES } from './arkit.js';
import type { RigFrame } from './face-rig.js';
import type { Quaternion } from './head-pose.js';
import { type OscMessage, oscFloat, oscInt, oscString } from './osc-message.js';
import type { VrmExpression } from './vrm.js';

/** Which blendshape names go out in `/VMC/Ext/Blend/Val`. */
export type VmcBlendNames = 'vrm0' | 'vrm1' | 'arkit';

/** Options of {@link vmcMessages}. */
export interface VmcOptions {
  /**
   * Name sets to send: `vrm0` = VRM 0.x presets (A, I, U, E, O, Blink, Blink_L, Blink_R, Joy, Angry,
   * Sorrow, Fun, Surprised, LookUp...), what most VMC receivers map; `vrm1` = VRM 1.0 preset names
   * (aa, happy...); `arkit` = the 52 ARKit names (avatars with "Perfect Sync" clips).
   */
  readonly blendNames: readonly VmcBlendNames[];
  /** ARKit names as `EyeBlinkLeft` (Perfect Sync clip names) or `eyeBlinkLeft` (ARKit's own). */
  readonly arkitCase: 'pascal' | 'camel';
}

/** Defaults of {@link VmcOptions}. */
export const DEFAULT_VMC_OPTIONS: Readonly<VmcOptions> = Object.freeze({
  blendNames: Object.freeze(['vrm0', 'arkit'] as VmcBlendNames[]),
  arkitCase: 'pascal',
});

/** Validates and completes VMC options (TypeError / RangeError). */
export function resolveVmcOptions(options: Partial<VmcOptions> = {}): VmcOptions {
  const o = { ...DEFAULT_VMC_OPTIONS, ...options };
  if (!Array.isArray(o.blendNames) || o.blendNames.length === 0) {
    throw new TypeError('blendNames must be a non-empty array');
  }
  for (const n of o.blendNames) {
    if (n !== 'vrm0' && n !== 'vrm1' && n !== 'arkit') throw new RangeError(`unknown blend name set '${n}'`);
  }
  if (o.arkitCase !== 'pascal' && o.arkitCase !== 'camel')
    throw new TypeError(`arkitCase must be 'pascal' or 'camel'`);
  return Object.freeze({ blendNames: Object.freeze([...o.blendNames]), arkitCase: o.arkitCase });
}

/** VRM 1.0 preset -> VRM 0.x preset name (UniVRM `BlendShapePreset`). */
const VRM0_NAMES: Readonly<Record<VrmExpression, string>> = Object.freeze({
  aa: 'A',
  ih: 'I',
  ou: 'U',
  ee: 'E',
  oh: 'O',
  blink: 'Blink',
  blinkLeft: 'Blink_L',
  blinkRight: 'Blink_R',
  happy: 'Joy',
  angry: 'Angry',
  sad: 'Sorrow',
  relaxed: 'Fun',
  surprised: 'Surprised',
  lookUp: 'LookUp',
  lookDown: 'LookDown',
  lookLeft: 'LookLeft',
  lookRight: 'LookRight',
});

/**
 * Local bone positions sent with `/VMC/Ext/Bone/Pos` (metres, Unity frame): a typical humanoid's
 * neck-above-chest and head-above-neck offsets. VMC carries position and rotation together;
 * receivers retarget non-root bones by rotation.
 */
const BONE_OFFSETS = Object.freeze({ Neck: [0, 0.1, 0], Head: [0, 0.1, 0] } as const);

/** glTF (right-handed) rotation -> Unity (left-handed, x mirrored), as UniVRM converts. */
function toUnity(q: Quaternion): Quaternion {
  return { x: q.x, y: -q.y, z: -q.z, w: q.w };
}

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/**
 * The VMC protocol messages of one frame (performer side, "Marionette" receivers): `/VMC/Ext/OK`,
 * `/VMC/Ext/T` (time, s), `/VMC/Ext/Bone/Pos` for Neck and Head (rotations in Unity's frame),
 * one `/VMC/Ext/Blend/Val` per blendshape, then `/VMC/Ext/Blend/Apply`.
 */
export function vmcMessages(
  frame: RigFrame,
  timeSeconds: number,
  options: VmcOptions = DEFAULT_VMC_OPTIONS,
): OscMessage[] {
  const out: OscMessage[] = [
    { address: '/VMC/Ext/OK', args: [oscInt(1)] },
    { address: '/VMC/Ext/T', args: [oscFloat(timeSeconds)] },
  ];
  for (const [bone, q] of [
    ['Neck', frame.vrm.neck],
    ['Head', frame.vrm.head],
  ] as const) {
    const u = toUnity(q);
    const [px, py, pz] = BONE_OFFSETS[bone];
    out.push({
      address: '/VMC/Ext/Bone/Pos',
      args: [oscString(bone), ...[px, py, pz, u.x, u.y, u.z, u.w].map(oscFloat)],
    });
  }
  const blend = (name: string, value: number) =>
    out.push({ address: '/VMC/Ext/Blend/Val', args: [oscString(name), oscFloat(value)] });
  for (const set of options.blendNames) {
    if (set === 'arkit') {
      for (const n of ARKIT_BLENDSHAPES)
        blend(options.arkitCase === 'pascal' ? pascal(n) : n, frame.arkit[n]);
    } else {
      for (const [v1, v0] of Object.entries(VRM0_NAMES) as [VrmExpression, string][]) {
        blend(set === 'vrm0' ? v0 : v1, frame.vrm.expressions[v1]);
      }
    }
  }
  out.push({ address: '/VMC/Ext/Blend/Apply', args: [] });
  return out;
}
