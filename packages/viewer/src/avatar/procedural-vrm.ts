/**
 * The viewer's default avatar, built in code (no third-party asset to license): a stylised
 * head-and-shoulders VRM 1.0 model, written as a binary glTF (.vrm) so the page loads it through
 * three-vrm exactly like a file a user drops. The head mesh carries one morph target per VRM 1.0
 * expression preset the SDK rig drives (aa, ih, ou, ee, oh, blink, blinkLeft, blinkRight, happy,
 * angry, sad, relaxed, surprised, lookUp/Down/Left/Right), bound in `VRMC_vrm.expressions`; the
 * humanoid has every bone VRM requires (limbs are bare nodes: the bust has no arms or legs).
 * Units: metres; y up; the avatar faces +z; its left is +x (VRM 1.0).
 */

import { VRM_EXPRESSIONS } from '@semface/sdk/rig';

type Vec3 = readonly [number, number, number];

/**
 * VRM 1.0 expression presets the default avatar has morph targets for, in target order: exactly
 * the ones the SDK rig drives, so every rig output moves the default avatar.
 */
export const PROCEDURAL_VRM_EXPRESSIONS = VRM_EXPRESSIONS;

type Expression = (typeof PROCEDURAL_VRM_EXPRESSIONS)[number];

/** Which face feature a vertex belongs to (morphs move features, not the skull). */
type PartName =
  | 'skull'
  | 'eyeL'
  | 'eyeR'
  | 'pupilL'
  | 'pupilR'
  | 'lidL'
  | 'lidR'
  | 'mouth'
  | 'browL'
  | 'browR'
  | 'nose'
  | 'other';

interface Part {
  readonly name: PartName;
  readonly centre: Vec3;
  readonly radii: Vec3;
  readonly color: Vec3 | ((p: Vec3) => Vec3);
}

interface MeshData {
  positions: number[];
  normals: number[];
  colors: number[];
  indices: number[];
  /** Per vertex: part and position relative to the part centre, divided by its radii. */
  tags: { part: PartName; u: Vec3 }[];
}

const SKIN: Vec3 = [0.93, 0.76, 0.64];
const HAIR: Vec3 = [0.22, 0.15, 0.11];
const LIP: Vec3 = [0.22, 0.04, 0.05];
const DARK: Vec3 = [0.16, 0.11, 0.09];

function ellipsoid(mesh: MeshData, part: Part, rings = 18, segments = 28): void {
  const base = mesh.positions.length / 3;
  const [cx, cy, cz] = part.centre;
  const [rx, ry, rz] = part.radii;
  for (let i = 0; i <= rings; i++) {
    const theta = (i / rings) * Math.PI;
    for (let j = 0; j <= segments; j++) {
      const phi = (j / segments) * 2 * Math.PI;
      const u: Vec3 = [Math.sin(theta) * Math.sin(phi), Math.cos(theta), Math.sin(theta) * Math.cos(phi)];
      const p: Vec3 = [cx + rx * u[0], cy + ry * u[1], cz + rz * u[2]];
      mesh.positions.push(...p);
      const n = [u[0] / rx, u[1] / ry, u[2] / rz];
      const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1;
      mesh.normals.push(n[0]! / len, n[1]! / len, n[2]! / len);
      mesh.colors.push(...(typeof part.color === 'function' ? part.color(p) : part.color));
      mesh.tags.push({ part: part.name, u });
    }
  }
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < segments; j++) {
      const a = base + i * (segments + 1) + j;
      const b = a + segments + 1;
      mesh.indices.push(a, b, a + 1, a + 1, b, b + 1);
    }
  }
}

function emptyMesh(): MeshData {
  return { positions: [], normals: [], colors: [], indices: [], tags: [] };
}

// Head-local layout (head bone at the origin, face toward +z).
const EYE_X = 0.032;
const EYE_Y = 0.018;
const EYE_Z = 0.078;
const EYE_R = 0.0145;
const LID_R = 0.0152;
const MOUTH: Vec3 = [0, -0.05, 0.079];
const MOUTH_R: Vec3 = [0.021, 0.0035, 0.0045];
const BROW_Y = 0.047;

function headMesh(): MeshData {
  const m = emptyMesh();
  ellipsoid(m, {
    name: 'skull',
    centre: [0, 0.01, 0],
    radii: [0.085, 0.112, 0.095],
    // Hair above the forehead and at the back.
    color: (p) => (p[1] > 0.055 - 0.25 * Math.max(0, -p[2]) ? HAIR : SKIN),
  });
  for (const [side, sx] of [
    ['L', 1],
    ['R', -1],
  ] as const) {
    ellipsoid(m, {
      name: `eye${side}`,
      centre: [sx * EYE_X, EYE_Y, EYE_Z],
      radii: [EYE_R, EYE_R, EYE_R],
      color: [0.97, 0.97, 0.95],
    });
    ellipsoid(m, {
      name: `pupil${side}`,
      centre: [sx * EYE_X, EYE_Y, EYE_Z + EYE_R - 0.002],
      radii: [0.0068, 0.0068, 0.003],
      color: [0.18, 0.28, 0.42],
    });
    ellipsoid(m, {
      name: `lid${side}`,
      centre: [sx * EYE_X, EYE_Y, EYE_Z],
      radii: [LID_R, LID_R, LID_R],
      color: SKIN,
    });
    ellipsoid(m, {
      name: `brow${side}`,
      centre: [sx * 0.034, BROW_Y, 0.086],
      radii: [0.017, 0.0035, 0.005],
      color: HAIR,
    });
  }
  ellipsoid(m, { name: 'mouth', centre: MOUTH, radii: MOUTH_R, color: LIP });
  ellipsoid(m, {
    name: 'nose',
    centre: [0, -0.008, 0.095],
    radii: [0.011, 0.022, 0.014],
    color: [0.9, 0.7, 0.58],
  });
  // Eyelids rest as a thin cap above each eye: vertices below the cap line are lifted onto it.
  const lidRest = (uy: number) => Math.max(uy, 0.75);
  m.tags.forEach((t, i) => {
    if (t.part === 'lidL' || t.part === 'lidR') m.positions[i * 3 + 1] = EYE_Y + LID_R * lidRest(t.u[1]);
  });
  return m;
}

/** Displacement of one vertex for one expression at weight 1 (metres). */
function morph(e: Expression, t: { part: PartName; u: Vec3 }): Vec3 {
  const [ux, uy, uz] = t.u;
  const scale = (v: Vec3, k: number): Vec3 => [v[0] * k, v[1] * k, v[2] * k];
  const mouth = t.part === 'mouth';
  const side = ux; // -1..1 across a part: + is the avatar's left
  // Mouth shape targets: scale the lip ellipsoid's half-axes (ox, oy), bend its corners (smile).
  const mouthShape = (ox: number, oy: number, down = 0, curve = 0): Vec3 =>
    mouth
      ? [ux * MOUTH_R[0] * (ox - 1), uy * MOUTH_R[1] * (oy - 1) - down + curve * ux * ux, uz * 0.002]
      : [0, 0, 0];
  const lid = (which: 'L' | 'R' | 'both'): Vec3 => {
    const on = t.part === 'lidL' ? which !== 'R' : t.part === 'lidR' ? which !== 'L' : false;
    // Closed: the lid sphere's full lower half (y = u_y * r) instead of the cap line.
    return on ? [0, LID_R * (t.u[1] - Math.max(t.u[1], 0.75)), 0] : [0, 0, 0];
  };
  const brows = (lift: number, innerTilt: number): Vec3 => {
    if (t.part !== 'browL' && t.part !== 'browR') return [0, 0, 0];
    const inner = t.part === 'browL' ? -side : side; // +1 at the inner end
    return [0, lift + innerTilt * inner, 0];
  };
  const pupils = (dx: number, dy: number): Vec3 =>
    t.part === 'pupilL' || t.part === 'pupilR' ? [dx, dy, 0] : [0, 0, 0];
  const add = (...vs: Vec3[]): Vec3 =>
    vs.reduce<Vec3>((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]], [0, 0, 0]);
  switch (e) {
    case 'aa':
      return mouthShape(1.05, 3.6, 0.006);
    case 'ih':
      return mouthShape(1.15, 2.2, 0.003);
    case 'ou':
      return mouthShape(0.5, 2.0, 0.002);
    case 'ee':
      return mouthShape(1.35, 1.6, 0.001);
    case 'oh':
      return mouthShape(0.7, 3.4, 0.005);
    case 'blink':
      return lid('both');
    case 'blinkLeft':
      return lid('L');
    case 'blinkRight':
      return lid('R');
    case 'happy':
      return add(mouthShape(1.2, 1.3, 0, 0.01), brows(0.003, 0));
    case 'angry':
      return add(mouthShape(0.9, 1, 0.001, -0.004), brows(-0.004, -0.005));
    case 'sad':
      return add(mouthShape(0.95, 1, 0.002, -0.008), brows(0, 0.005));
    case 'relaxed':
      return add(mouthShape(1.1, 1, 0, 0.005), scale(lid('both'), 0.35));
    case 'surprised':
      return add(mouthShape(0.8, 3.5, 0.006), brows(0.01, 0.002));
    case 'lookUp':
      return pupils(0, 0.005);
    case 'lookDown':
      return pupils(0, -0.005);
    case 'lookLeft':
      return pupils(0.006, 0);
    case 'lookRight':
      return pupils(-0.006, 0);
  }
}

function bodyMesh(): MeshData {
  const m = emptyMesh();
  ellipsoid(m, { name: 'other', centre: [0, 0.02, 0], radii: [0.19, 0.09, 0.11], color: [0.2, 0.36, 0.55] });
  ellipsoid(m, { name: 'other', centre: [0, 0.13, 0], radii: [0.042, 0.07, 0.042], color: SKIN });
  return m;
}

/** Little-endian binary buffer builder with 4-byte alignment per view. */
class BinWriter {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  add(bytes: Uint8Array): number {
    const offset = this.length;
    this.chunks.push(bytes);
    this.length += bytes.length;
    const pad = (4 - (this.length % 4)) % 4;
    if (pad) {
      this.chunks.push(new Uint8Array(pad));
      this.length += pad;
    }
    return offset;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** Builds the default avatar as .vrm (GLB) bytes. Deterministic: the same bytes every call. */
export function buildProceduralVrm(): Uint8Array {
  const bin = new BinWriter();
  const bufferViews: object[] = [];
  const accessors: object[] = [];
  const f32 = (values: number[], type: 'VEC3', withBounds = false, target = 34962): number => {
    const data = Float32Array.from(values);
    const byteOffset = bin.add(new Uint8Array(data.buffer));
    bufferViews.push({ buffer: 0, byteOffset, byteLength: data.byteLength, target });
    const accessor: Record<string, unknown> = {
      bufferView: bufferViews.length - 1,
      componentType: 5126,
      count: data.length / 3,
      type,
    };
    if (withBounds) {
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < data.length; i++) {
        min[i % 3] = Math.min(min[i % 3]!, data[i]!);
        max[i % 3] = Math.max(max[i % 3]!, data[i]!);
      }
      accessor.min = min;
      accessor.max = max;
    }
    accessors.push(accessor);
    return accessors.length - 1;
  };
  const u32 = (values: number[]): number => {
    const data = Uint32Array.from(values);
    const byteOffset = bin.add(new Uint8Array(data.buffer));
    bufferViews.push({ buffer: 0, byteOffset, byteLength: data.byteLength, target: 34963 });
    accessors.push({
      bufferView: bufferViews.length - 1,
      componentType: 5125,
      count: data.length,
      type: 'SCALAR',
    });
    return accessors.length - 1;
  };

  const head = headMesh();
  const targets = PROCEDURAL_VRM_EXPRESSIONS.map((e) => {
    const deltas: number[] = [];
    for (const t of head.tags) deltas.push(...morph(e, t));
    return { POSITION: f32(deltas, 'VEC3', true) };
  });
  const headPrimitive = {
    attributes: {
      POSITION: f32(head.positions, 'VEC3', true),
      NORMAL: f32(head.normals, 'VEC3'),
      COLOR_0: f32(head.colors, 'VEC3'),
    },
    indices: u32(head.indices),
    material: 0,
    targets,
  };
  const body = bodyMesh();
  const bodyPrimitive = {
    attributes: {
      POSITION: f32(body.positions, 'VEC3', true),
      NORMAL: f32(body.normals, 'VEC3'),
      COLOR_0: f32(body.colors, 'VEC3'),
    },
    indices: u32(body.indices),
    material: 0,
  };

  // Node tree (translations relative to the parent). Index order matters: bones are referenced below.
  const nodes: { name: string; translation: Vec3; children?: number[]; mesh?: number }[] = [];
  const node = (name: string, translation: Vec3, parent?: number, mesh?: number): number => {
    nodes.push({ name, translation, ...(mesh !== undefined ? { mesh } : {}) });
    const i = nodes.length - 1;
    if (parent !== undefined) {
      const p = nodes[parent]!;
      p.children = [...(p.children ?? []), i];
    }
    return i;
  };
  const hips = node('hips', [0, 0.95, 0]);
  const spine = node('spine', [0, 0.1, 0], hips);
  const chest = node('chest', [0, 0.15, 0], spine);
  node('bodyMesh', [0, 0.12, 0], chest, 1);
  const neck = node('neck', [0, 0.22, 0], chest);
  const headNode = node('head', [0, 0.11, 0], neck);
  const faceMesh = node('faceMesh', [0, 0.08, 0], headNode, 0);
  const bones: Record<string, number> = { hips, spine, chest, neck, head: headNode };
  for (const [side, sx] of [
    ['left', 1],
    ['right', -1],
  ] as const) {
    const upperArm = node(`${side}UpperArm`, [sx * 0.17, 0.2, 0], chest);
    const lowerArm = node(`${side}LowerArm`, [0, -0.25, 0], upperArm);
    const hand = node(`${side}Hand`, [0, -0.24, 0], lowerArm);
    const upperLeg = node(`${side}UpperLeg`, [sx * 0.09, -0.05, 0], hips);
    const lowerLeg = node(`${side}LowerLeg`, [0, -0.42, 0], upperLeg);
    const foot = node(`${side}Foot`, [0, -0.42, 0], lowerLeg);
    Object.assign(bones, {
      [`${side}UpperArm`]: upperArm,
      [`${side}LowerArm`]: lowerArm,
      [`${side}Hand`]: hand,
      [`${side}UpperLeg`]: upperLeg,
      [`${side}LowerLeg`]: lowerLeg,
      [`${side}Foot`]: foot,
    });
  }
  const preset = Object.fromEntries(
    PROCEDURAL_VRM_EXPRESSIONS.map((e, index) => [
      e,
      { morphTargetBinds: [{ node: faceMesh, index, weight: 1 }], isBinary: false },
    ]),
  );
  const range = { inputMaxValue: 30, outputScale: 1 };
  const json = {
    asset: { version: '2.0', generator: 'semface procedural-vrm' },
    extensionsUsed: ['VRMC_vrm'],
    extensions: {
      VRMC_vrm: {
        specVersion: '1.0',
        meta: {
          name: 'semface default head',
          version: '1',
          authors: ['semface'],
          copyrightInformation: 'Generated in code by the semface viewer',
          licenseUrl: 'https://vrm.dev/licenses/1.0/',
          avatarPermission: 'everyone',
          allowExcessivelyViolentUsage: true,
          allowExcessivelySexualUsage: false,
          commercialUsage: 'corporation',
          allowPoliticalOrReligiousUsage: true,
          allowAntisocialOrHateUsage: false,
          creditNotation: 'unnecessary',
          allowRedistribution: true,
          modification: 'allowModificationRedistribution',
        },
        humanoid: { humanBones: Object.fromEntries(Object.entries(bones).map(([k, v]) => [k, { node: v }])) },
        lookAt: {
          type: 'expression',
          offsetFromHeadBone: [0, 0.1, 0.08],
          rangeMapHorizontalInner: range,
          rangeMapHorizontalOuter: range,
          rangeMapVerticalDown: range,
          rangeMapVerticalUp: range,
        },
        expressions: { preset },
      },
    },
    scene: 0,
    scenes: [{ nodes: [hips] }],
    nodes,
    meshes: [
      { name: 'face', primitives: [headPrimitive], extras: { targetNames: [...PROCEDURAL_VRM_EXPRESSIONS] } },
      { name: 'body', primitives: [bodyPrimitive] },
    ],
    materials: [
      {
        name: 'vertexColour',
        pbrMetallicRoughness: { baseColorFactor: [1, 1, 1, 1], metallicFactor: 0, roughnessFactor: 0.75 },
      },
    ],
    accessors,
    bufferViews,
    buffers: [{ byteLength: bin.length }],
  };
  const binBytes = bin.concat();
  let jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonPad = (4 - (jsonBytes.length % 4)) % 4;
  if (jsonPad) {
    const padded = new Uint8Array(jsonBytes.length + jsonPad).fill(0x20);
    padded.set(jsonBytes);
    jsonBytes = padded;
  }
  const total = 12 + 8 + jsonBytes.length + 8 + binBytes.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true); // 'glTF'
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonBytes.length, true);
  view.setUint32(16, 0x4e4f534a, true); // 'JSON'
  out.set(jsonBytes, 20);
  const b = 20 + jsonBytes.length;
  view.setUint32(b, binBytes.length, true);
  view.setUint32(b + 4, 0x004e4942, true); // 'BIN\0'
  out.set(binBytes, b + 8);
  return out;
}
