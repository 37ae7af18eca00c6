import { delaunay } from './delaunay.js';

/** Vertices of the MediaPipe face mesh without iris points. */
export const FACE_VERTEX_COUNT = 468;
/** MediaPipe indices of the outer eye corners (subject's right, subject's left). */
export const EYE_OUTER = Object.freeze({ right: 33, left: 263 } as const);
/** MediaPipe indices of the top of the forehead and the chin, on the midline. */
const MIDLINE = Object.freeze({ top: 10, chin: 152 } as const);
/** Radius of the unwrapping cylinder, in inter-ocular distances (about half a head's width). */
const CYLINDER_RADIUS = 1;

/** Triangle topology of the 468-point face mesh plus the mean shape it was computed from. */
export interface FaceTopology {
  readonly vertexCount: number;
  /** `vertexCount * 3`: mean shape, centred, eye line horizontal, inter-ocular distance 1, y down. */
  readonly meanShape: Float32Array;
  /** Triangle vertex indices, wound so that (b - a) x (c - a) points at the camera (-z; x right, y down). */
  readonly triangles: Uint16Array;
}

/** Serialised form of {@link FaceTopology} (the committed JSON). */
export interface FaceTopologyJson {
  readonly about: string;
  readonly vertexCount: number;
  readonly meanShape: number[];
  readonly triangles: number[];
}

/**
 * Puts one mesh (`>= 468 * 3` floats, x/y/z in pixels) in the frame of {@link FaceTopology.meanShape}:
 * centroid at 0, turned to face the camera (the eye line along x, forehead-chin line along y),
 * inter-ocular distance 1.
 */
export function normalizeMesh(mesh: ArrayLike<number>): Float32Array {
  const v = FACE_VERTEX_COUNT;
  if (mesh.length < v * 3) throw new RangeError(`mesh needs ${v * 3} values, got ${mesh.length}`);
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (let i = 0; i < v; i++) {
    cx += mesh[i * 3]!;
    cy += mesh[i * 3 + 1]!;
    cz += mesh[i * 3 + 2]!;
  }
  cx /= v;
  cy /= v;
  cz /= v;
  const p = (i: number, k: number) => mesh[i * 3 + k]!;
  // Rotation rows: x along the eye line, y along forehead -> chin made orthogonal to x, z = x cross y.
  const ex = [0, 1, 2].map((k) => p(EYE_OUTER.left, k) - p(EYE_OUTER.right, k)) as [number, number, number];
  const iod = Math.hypot(...ex);
  if (!(iod > 0)) throw new RangeError('eye corners coincide');
  const x = ex.map((c) => c / iod);
  const down = [0, 1, 2].map((k) => p(MIDLINE.chin, k) - p(MIDLINE.top, k));
  const dot = down[0]! * x[0]! + down[1]! * x[1]! + down[2]! * x[2]!;
  const yRaw = down.map((c, k) => c - dot * x[k]!);
  const yLen = Math.hypot(...yRaw);
  if (!(yLen > 0)) throw new RangeError('degenerate face mesh');
  const y = yRaw.map((c) => c / yLen);
  const z = [x[1]! * y[2]! - x[2]! * y[1]!, x[2]! * y[0]! - x[0]! * y[2]!, x[0]! * y[1]! - x[1]! * y[0]!];
  const out = new Float32Array(v * 3);
  for (let i = 0; i < v; i++) {
    const d = [p(i, 0) - cx, p(i, 1) - cy, p(i, 2) - cz];
    for (const [k, axis] of [x, y, z].entries()) {
      out[i * 3 + k] = (axis[0]! * d[0]! + axis[1]! * d[1]! + axis[2]! * d[2]!) / iod;
    }
  }
  return out;
}

/**
 * Builds the topology from detected meshes: averages their normalised shapes, triangulates their
 * cylindrical unwrap (angle around a vertical axis behind the face, height) with Delaunay, and peels off the thin triangles Delaunay adds along
 * concave stretches of the outline (outline edges longer than `maxEdgeFactor` x the median edge).
 */
export function buildFaceTopology(meshes: readonly ArrayLike<number>[], maxEdgeFactor = 6): FaceTopology {
  if (meshes.length === 0) throw new RangeError('need at least one mesh');
  const v = FACE_VERTEX_COUNT;
  const mean = new Float32Array(v * 3);
  for (const m of meshes) {
    const n = normalizeMesh(m);
    for (let i = 0; i < mean.length; i++) mean[i]! += n[i]! / meshes.length;
  }
  // Unwrap onto a vertical cylinder behind the face before triangulating: the cheek and jaw
  // vertices, crowded together in a frontal projection, spread out, so side triangles do not fold
  // when the head turns.
  let zMin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < v; i++) zMin = Math.min(zMin, mean[i * 3 + 2]!);
  const axisZ = zMin + CYLINDER_RADIUS;
  const xy = new Float64Array(v * 2);
  for (let i = 0; i < v; i++) {
    xy[i * 2] = CYLINDER_RADIUS * Math.atan2(mean[i * 3]!, axisZ - mean[i * 3 + 2]!);
    xy[i * 2 + 1] = mean[i * 3 + 1]!;
  }
  const all = delaunay(xy);
  const edge = (a: number, b: number) => Math.hypot(xy[a * 2]! - xy[b * 2]!, xy[a * 2 + 1]! - xy[b * 2 + 1]!);
  const lengths: number[] = [];
  for (let t = 0; t < all.length; t += 3) {
    for (let k = 0; k < 3; k++) lengths.push(edge(all[t + k]!, all[t + ((k + 1) % 3)]!));
  }
  const median = [...lengths].sort((a, b) => a - b)[lengths.length >> 1]!;
  // Peel long edges off the outline only, repeatedly: interior triangles are never dropped.
  const alive = new Array<boolean>(all.length / 3).fill(true);
  const key = (a: number, b: number) => (a < b ? a * 65536 + b : b * 65536 + a);
  for (let changed = true; changed; ) {
    changed = false;
    const uses = new Map<number, number>();
    for (let t = 0; t < alive.length; t++) {
      if (!alive[t]) continue;
      for (let k = 0; k < 3; k++) {
        const e = key(all[t * 3 + k]!, all[t * 3 + ((k + 1) % 3)]!);
        uses.set(e, (uses.get(e) ?? 0) + 1);
      }
    }
    for (let t = 0; t < alive.length; t++) {
      if (!alive[t]) continue;
      for (let k = 0; k < 3; k++) {
        const a = all[t * 3 + k]!;
        const b = all[t * 3 + ((k + 1) % 3)]!;
        if (uses.get(key(a, b)) === 1 && edge(a, b) > maxEdgeFactor * median) {
          alive[t] = false;
          changed = true;
          break;
        }
      }
    }
  }
  const kept: number[] = [];
  for (let t = 0; t < alive.length; t++) {
    // Delaunay's triangles have (b - a) x (c - a) along +z here (away from the camera): reverse them.
    if (alive[t]) kept.push(all[t * 3]!, all[t * 3 + 2]!, all[t * 3 + 1]!);
  }
  return { vertexCount: v, meanShape: mean, triangles: Uint16Array.from(kept) };
}

/** Parses the committed JSON form. */
export function faceTopologyFromJson(json: FaceTopologyJson): FaceTopology {
  const { vertexCount, meanShape, triangles } = json;
  if (vertexCount !== FACE_VERTEX_COUNT) throw new RangeError(`vertexCount ${vertexCount}`);
  if (meanShape.length !== vertexCount * 3) throw new RangeError('meanShape length');
  if (triangles.length % 3 !== 0 || triangles.some((i) => !(i >= 0 && i < vertexCount))) {
    throw new RangeError('triangles out of range');
  }
  return {
    vertexCount,
    meanShape: Float32Array.from(meanShape),
    triangles: Uint16Array.from(triangles),
  };
}
