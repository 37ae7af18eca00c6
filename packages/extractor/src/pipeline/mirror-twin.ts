import { type DescriptorMirror, mirrorPoints } from '@semface/face-model';
import {
  type DetectedFace,
  type FaceBox,
  type FittedFace,
  MESH_POINT_COUNT_WITH_IRIS,
  MESH_VERTEX_COUNT,
  type RgbaFrame,
} from '../types.js';

/** The second pipeline of a symmetric extractor and its scratch frame. */
export interface MirrorTwin {
  /** An independent extractor (own tracker, filters) fed the mirror image of every frame. */
  readonly extractor: {
    extract(frame: RgbaFrame, options: object): Promise<readonly FittedFace[]>;
    resetTracking(): void;
    dispose(): Promise<void>;
  };
  readonly mirror: DescriptorMirror;
  /** Left/right partner of every mesh point (468 vertices, then the two irises swapped). */
  readonly partners: Uint16Array;
  /** Reused mirror-image buffer (reallocated when the frame size changes). */
  frame: { width: number; height: number; data: Uint8Array } | undefined;
}

/** The horizontal mirror image of `frame`, pixel for pixel, in the twin's reused buffer. */
export function mirrorFrame(twin: MirrorTwin, frame: RgbaFrame): RgbaFrame {
  const { width, height, data } = frame;
  let out = twin.frame;
  if (!out || out.width !== width || out.height !== height) {
    out = { width, height, data: new Uint8Array(width * height * 4) };
    twin.frame = out;
  }
  const row = width * 4;
  for (let y = 0; y < height; y++) {
    const o = y * row;
    for (let x = 0; x < width; x++) {
      const from = o + x * 4;
      const to = o + (width - 1 - x) * 4;
      out.data[to] = data[from]!;
      out.data[to + 1] = data[from + 1]!;
      out.data[to + 2] = data[from + 2]!;
      out.data[to + 3] = data[from + 3]!;
    }
  }
  return out;
}

/**
 * Left/right partners of the mesh points: the face model's vertex partners (`vertexMirrorMap`) for the
 * 468 vertices, and for the 10 iris points (468-472 one eye, 473-477 the other, each centre then the
 * rim in the same order, since the iris model reads the second eye mirrored) the other eye's point.
 */
export function meshPartners(vertexPartners: Uint16Array): Uint16Array {
  const out = new Uint16Array(MESH_POINT_COUNT_WITH_IRIS);
  out.set(vertexPartners);
  for (let k = 0; k < 5; k++) {
    out[MESH_VERTEX_COUNT + k] = MESH_VERTEX_COUNT + 5 + k;
    out[MESH_VERTEX_COUNT + 5 + k] = MESH_VERTEX_COUNT + k;
  }
  return out;
}

/** `(a + mirror(b)) / 2` of two meshes in a frame `width` wide (x -> width - x, partners swapped). */
function averageMesh(a: Float32Array, b: Float32Array, partners: Uint16Array, width: number): Float32Array {
  const m = mirrorPoints(b, partners.subarray(0, a.length / 3), new Float64Array(a.length), width);
  return a.map((x, i) => (x + m[i]!) / 2);
}

/** The mirror-symmetric view of a face from its two detections (boxes, scores and meshes averaged). */
function averageFace(a: DetectedFace, b: DetectedFace, partners: Uint16Array, width: number): DetectedFace {
  const mirrored = { ...b.box, x: width - b.box.x - b.box.width };
  const box = {
    x: (a.box.x + mirrored.x) / 2,
    y: (a.box.y + mirrored.y) / 2,
    width: (a.box.width + mirrored.width) / 2,
    height: (a.box.height + mirrored.height) / 2,
  };
  const raw = a.rawMesh && b.rawMesh ? { rawMesh: averageMesh(a.rawMesh, b.rawMesh, partners, width) } : {};
  return {
    box,
    score: (a.score + b.score) / 2,
    meshScore: (a.meshScore + b.meshScore) / 2,
    mesh: averageMesh(a.mesh, b.mesh, partners, width),
    pointCount: a.pointCount,
    ...raw,
  };
}

/** Overlap (intersection over union) of two boxes. */
function overlap(a: FaceBox, b: FaceBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / (a.width * a.height + b.width * b.height - i);
}

/**
 * With several faces, boxes of the two passes that overlap less than this are different faces. With
 * one face per pass any overlap pairs them: one pass may have found the face with the detector and
 * the other only by meshing a given crop box (`cropBox`), whose boxes differ more.
 */
const MIN_OVERLAP = 0.3;

/**
 * Pairs the faces found in a frame (`own`) with those found in its mirror image (`seen`, boxes
 * mirrored back) by box overlap, best pairs first, and returns, in `own`'s order, each paired face
 * with the symmetric descriptor ({@link DescriptorMirror.average}), the two detections averaged (box,
 * scores, mesh: the face the descriptor describes), the two passes' emotion log-probabilities averaged
 * (an emotion has no side) and the fit error of the new descriptor against the averaged mesh. A face
 * only one pass found is left out: keeping it would make the result depend on which pass saw the
 * original, and a mirrored input must give exactly the mirrored output. Faces whose point counts
 * differ are not paired.
 */
export function mirrorAveraged(
  own: readonly FittedFace[],
  seen: readonly FittedFace[],
  frame: RgbaFrame,
  twin: Pick<MirrorTwin, 'mirror' | 'partners'>,
  fitErrorPercent: (face: DetectedFace, descriptor: Float32Array) => number,
): FittedFace[] {
  const pairs: Array<[number, number, number]> = [];
  const minOverlap = own.length === 1 && seen.length === 1 ? Number.MIN_VALUE : MIN_OVERLAP;
  own.forEach((a, i) =>
    seen.forEach((b, j) => {
      const box = b.face.box;
      const o = overlap(a.face.box, { ...box, x: frame.width - box.x - box.width });
      if (o >= minOverlap && a.face.pointCount === b.face.pointCount) pairs.push([o, i, j]);
    }),
  );
  pairs.sort((p, q) => q[0] - p[0] || p[1] - q[1] || p[2] - q[2]);
  const partner = new Map<number, number>();
  const taken = new Set<number>();
  for (const [, i, j] of pairs) {
    if (partner.has(i) || taken.has(j)) continue;
    partner.set(i, j);
    taken.add(j);
  }
  const out: FittedFace[] = [];
  own.forEach((a, i) => {
    const j = partner.get(i);
    if (j === undefined) return;
    const b = seen[j]!;
    const descriptor = twin.mirror.average(a.descriptor, b.descriptor);
    const face = averageFace(a.face, b.face, twin.partners, frame.width);
    const ea = a.emotionLogProbabilities;
    const eb = b.emotionLogProbabilities;
    out.push({
      ...a,
      face,
      descriptor,
      fitErrorPercent: fitErrorPercent(face, descriptor),
      ...(b.fromCropBox ? { fromCropBox: true } : {}),
      ...(ea && eb ? { emotionLogProbabilities: ea.map((x, k) => (x + eb[k]!) / 2) } : {}),
    });
  });
  return out;
}
