import { describe, expect, it } from 'vitest';
import { PROCEDURAL_VRM_EXPRESSIONS, buildProceduralVrm } from './procedural-vrm.js';

interface Accessor {
  count: number;
  min?: number[];
  max?: number[];
}
/** The parts of the glTF JSON the test reads. */
interface GltfJson {
  extensions: {
    VRMC_vrm: {
      specVersion: string;
      humanoid: { humanBones: Record<string, { node: number }> };
      expressions: { preset: Record<string, { morphTargetBinds: { node: number; index: number }[] }> };
    };
  };
  meshes: { primitives: { attributes: { POSITION: number }; targets: { POSITION: number }[] }[] }[];
  nodes: { mesh?: number }[];
  accessors: Accessor[];
  bufferViews: { byteOffset: number; byteLength: number }[];
  buffers: { byteLength: number }[];
}

/** The JSON chunk of a GLB. */
function glbJson(bytes: Uint8Array): GltfJson {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0, true)).toBe(0x46546c67);
  expect(view.getUint32(8, true)).toBe(bytes.length);
  const len = view.getUint32(12, true);
  expect(view.getUint32(16, true)).toBe(0x4e4f534a);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + len)));
}

const REQUIRED_BONES = [
  'hips',
  'spine',
  'head',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
];

describe('procedural default VRM', () => {
  it('is a VRM 1.0 GLB with every required bone and one morph target per expression preset', () => {
    const bytes = buildProceduralVrm();
    const json = glbJson(bytes);
    const vrm = json.extensions.VRMC_vrm;
    expect(vrm.specVersion).toBe('1.0');
    for (const b of REQUIRED_BONES) expect(vrm.humanoid.humanBones[b]?.node, b).toBeTypeOf('number');
    const face = json.meshes[0]!.primitives[0]!;
    expect(face.targets).toHaveLength(PROCEDURAL_VRM_EXPRESSIONS.length);
    const count = json.accessors[face.attributes.POSITION]!.count;
    for (const t of face.targets) expect(json.accessors[t.POSITION]!.count).toBe(count);
    PROCEDURAL_VRM_EXPRESSIONS.forEach((e, i) => {
      const bind = vrm.expressions.preset[e]!.morphTargetBinds[0]!;
      expect(json.nodes[bind.node]!.mesh, e).toBe(0);
      expect(bind.index).toBe(i);
      // Every expression moves something.
      const acc = json.accessors[face.targets[i]!.POSITION]!;
      expect(Math.max(...acc.max!.map(Math.abs), ...acc.min!.map(Math.abs)), e).toBeGreaterThan(0.001);
    });
    // Bufferviews stay inside the binary chunk.
    const binLength = json.buffers[0].byteLength;
    for (const v of json.bufferViews) expect(v.byteOffset + v.byteLength).toBeLessThanOrEqual(binLength);
  });

  it('is deterministic', () => {
    expect(Buffer.from(buildProceduralVrm()).equals(Buffer.from(buildProceduralVrm()))).toBe(true);
  });
});
