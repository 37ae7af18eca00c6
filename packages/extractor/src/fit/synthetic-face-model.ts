import { FaceModel } from '@semface/face-model';

/** Columns and rows of the synthetic grid mesh (18 x 26 = 468 vertices, like MediaPipe). */
const COLS = 18;
const ROWS = 26;

/** Deterministic PRNG (mulberry32) so synthetic models are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a uniform generator (Box-Muller). */
export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * A small synthetic face model for tests and demos: a left/right-symmetric curved grid of
 * 468 vertices with smooth random bases. It has no relation to real faces; the shipped model
 * is learned from photos.
 */
export function createSyntheticFaceModel(
  options: { seed?: number; identity?: number; expression?: number; texture?: number } = {},
): FaceModel {
  const rand = seededRandom(options.seed ?? 1);
  const kId = options.identity ?? 10;
  const kExp = options.expression ?? 8;
  const kTex = options.texture ?? 6;
  const v = COLS * ROWS;
  const d = v * 3;
  const meanShape = new Float32Array(d);
  const meanAlbedo = new Float32Array(d);
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const i = r * COLS + c;
      const x = ((c - (COLS - 1) / 2) / (COLS - 1)) * 1.7;
      const y = ((r - (ROWS - 1) / 2) / (ROWS - 1)) * 2.4;
      meanShape[i * 3] = x;
      meanShape[i * 3 + 1] = y;
      // A dome bulging toward the camera (-z), with a nose-like ridge on the midline.
      meanShape[i * 3 + 2] =
        -Math.sqrt(Math.max(0.05, 2.2 - x * x - 0.5 * y * y)) - 0.25 * Math.exp(-x * x * 20);
      meanAlbedo[i * 3] = 0.75 + 0.05 * Math.cos(y * 2);
      meanAlbedo[i * 3 + 1] = 0.55 + 0.04 * Math.cos(y * 2);
      meanAlbedo[i * 3 + 2] = 0.45 + 0.03 * Math.cos(x * 3);
    }
  }
  const smoothBasis = (k: number, amplitude: number): Float32Array => {
    const out = new Float32Array(k * d);
    for (let j = 0; j < k; j++) {
      const std = amplitude / (1 + 0.35 * j);
      const f = [1 + rand() * 3, 1 + rand() * 3, 1 + rand() * 3];
      const ph = [rand() * 6.28, rand() * 6.28, rand() * 6.28];
      const dir = [gaussian(rand), gaussian(rand), gaussian(rand)];
      for (let i = 0; i < v; i++) {
        const x = meanShape[i * 3] as number;
        const y = meanShape[i * 3 + 1] as number;
        for (let a = 0; a < 3; a++) {
          out[j * d + i * 3 + a] =
            std *
            (dir[a] as number) *
            Math.cos((f[a] as number) * x + (ph[a] as number)) *
            Math.cos((f[(a + 1) % 3] as number) * y + (ph[(a + 1) % 3] as number));
        }
      }
    }
    removeRigidMotions(out, k, meanShape);
    return out;
  };
  const triangles = new Uint16Array((ROWS - 1) * (COLS - 1) * 6);
  let t = 0;
  for (let r = 0; r < ROWS - 1; r++) {
    for (let c = 0; c < COLS - 1; c++) {
      const i = r * COLS + c;
      // Wound so (b - a) x (c - a) points to -z with x right and y down.
      triangles.set([i, i + COLS, i + 1, i + 1, i + COLS, i + COLS + 1], t);
      t += 6;
    }
  }
  return new FaceModel({
    vertexCount: v,
    meanShape,
    identityBasis: smoothBasis(kId, 0.05),
    expressionBasis: smoothBasis(kExp, 0.04),
    meanAlbedo,
    textureBasis: smoothBasis(kTex, 0.04),
    triangles,
    landmarks: { eyeRightOuter: 8 * COLS + 3, eyeLeftOuter: 8 * COLS + (COLS - 1 - 3) },
    prior: { shapeNoiseVariance: 1e-6, textureNoiseVariance: 1e-4 },
    training: { synthetic: true },
  });
}

/**
 * Removes from each basis row its components along the 7 infinitesimal similarity motions of
 * `mean` (3 translations, 3 rotations, scale), so pose and shape coefficients are identifiable.
 */
function removeRigidMotions(rows: Float32Array, k: number, mean: Float32Array): void {
  const d = mean.length;
  const v = d / 3;
  const dirs: Float64Array[] = [];
  for (let m = 0; m < 7; m++) {
    const u = new Float64Array(d);
    for (let i = 0; i < v; i++) {
      const x = mean[i * 3] as number;
      const y = mean[i * 3 + 1] as number;
      const z = mean[i * 3 + 2] as number;
      const motion =
        m < 3
          ? [m === 0 ? 1 : 0, m === 1 ? 1 : 0, m === 2 ? 1 : 0]
          : m === 3
            ? [0, -z, y]
            : m === 4
              ? [z, 0, -x]
              : m === 5
                ? [-y, x, 0]
                : [x, y, z];
      u.set(motion, i * 3);
    }
    for (const w of dirs) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (u[j] as number) * (w[j] as number);
      for (let j = 0; j < d; j++) u[j] = (u[j] as number) - dot * (w[j] as number);
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (u[j] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) u[j] = (u[j] as number) / norm;
    dirs.push(u);
  }
  for (let r = 0; r < k; r++) {
    for (const w of dirs) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (rows[r * d + j] as number) * (w[j] as number);
      for (let j = 0; j < d; j++) rows[r * d + j] = (rows[r * d + j] as number) - dot * (w[j] as number);
    }
  }
}
