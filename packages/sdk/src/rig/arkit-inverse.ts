import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core/layout';
import { ARKIT_BLENDSHAPES, type ArkitBlendshape, type ArkitWeights } from './arkit.js';
import { type ArkitMappingContext, arkitFromMeasures } from './arkit-mapping.js';
import { measureShape } from './face-measures.js';
import { type FaceRigModel, defaultFaceRigModel } from './face-rig-model.js';
import { mouthCouplings } from './face-rig.js';
import { REST_FACE } from './rest-face.js';

/**
 * Blendshapes the inverse fits: everything the face shape makes. The eye-look weights come from gaze
 * (not in the descriptor) and tongueOut from nothing, so they are left out.
 */
export const INVERTIBLE_BLENDSHAPES: readonly ArkitBlendshape[] = Object.freeze(
  ARKIT_BLENDSHAPES.filter((n) => !n.startsWith('eyeLook') && n !== 'tongueOut'),
);

/** Options of {@link ArkitInverter}. */
export interface ArkitInverterOptions {
  readonly model?: FaceRigModel;
  /** Gauss-Newton (Levenberg-Marquardt) steps per frame, 1-50. */
  readonly iterations: number;
  /** Weight of the N(0, 1) prior on expression coefficients (keeps unseen directions at the mean face). */
  readonly prior: number;
  /** Translation to put in the descriptors: tx, ty (normalised image position) and tz (log scale). */
  readonly translation: readonly [number, number, number];
}

/** Defaults of {@link ArkitInverterOptions}: tz 1.25 is the average of the 15 clips (a head ~1/3.5 of the frame). */
export const DEFAULT_ARKIT_INVERTER_OPTIONS: Readonly<Omit<ArkitInverterOptions, 'model'>> = Object.freeze({
  iterations: 8,
  prior: 1e-3,
  translation: Object.freeze([0, 0, 1.25]) as readonly [number, number, number],
});

/**
 * ARKit weights -> descriptor: the expression coefficients whose rebuilt face the rig maps to the
 * given weights (least squares over {@link INVERTIBLE_BLENDSHAPES}, numeric Jacobian, damped
 * Gauss-Newton, warm-started from the previous frame), with the head rotation given. The rig's
 * resting face and eye levels are the average ones (no adaptation), so `FaceRig({ adaptEyes: false })`
 * gives the weights back. For importing Live Link Face takes (`semface encode --from-livelink`).
 */
export class ArkitInverter {
  readonly options: ArkitInverterOptions;
  private readonly model: FaceRigModel;
  private readonly context: ArkitMappingContext;
  private readonly count: number;
  private previous: Float64Array;

  constructor(options: Partial<ArkitInverterOptions> = {}) {
    const o = { ...DEFAULT_ARKIT_INVERTER_OPTIONS, ...options };
    if (!Number.isInteger(o.iterations) || o.iterations < 1 || o.iterations > 50) {
      throw new RangeError(`iterations must be an integer in 1..50, got ${o.iterations}`);
    }
    if (!(o.prior >= 0)) throw new RangeError(`prior must be >= 0, got ${o.prior}`);
    if (o.translation.length !== 3 || !o.translation.every(Number.isFinite)) {
      throw new TypeError('translation must be 3 finite numbers');
    }
    this.options = Object.freeze(o);
    this.model = o.model ?? defaultFaceRigModel();
    this.count = this.model.expressionCount;
    this.previous = new Float64Array(this.count);
    this.context = {
      rest: REST_FACE,
      eyeOpenRight: REST_FACE.eyeOpenRight,
      eyeOpenLeft: REST_FACE.eyeOpenLeft,
      couplings: mouthCouplings(this.model),
      gaze: { yaw: 0, pitch: 0 },
      gazeRange: Math.PI / 6,
    };
  }

  private weightsOfShape(shape: Float64Array): Float64Array {
    const w = arkitFromMeasures(measureShape(this.model, shape), this.context);
    return Float64Array.from(INVERTIBLE_BLENDSHAPES, (n) => w[n]);
  }

  private weights(c: Float64Array, d: Float32Array): Float64Array {
    return this.weightsOfShape(this.shapeOf(c, d));
  }

  private shapeOf(c: Float64Array, d: Float32Array): Float64Array {
    const e0 = DescriptorField.expression.start;
    for (let k = 0; k < this.count; k++) d[e0 + k] = c[k]!;
    return this.model.shape(d);
  }

  /**
   * The descriptor for one frame's weights (missing names count as 0) and head angles (radians,
   * the descriptor's conventions; default 0).
   */
  descriptor(
    target: Partial<ArkitWeights>,
    head: { pitch?: number; yaw?: number; roll?: number } = {},
  ): Float32Array {
    const t = Float64Array.from(INVERTIBLE_BLENDSHAPES, (n) => {
      const v = target[n] ?? 0;
      if (!Number.isFinite(v)) throw new RangeError(`${n} is not a finite number`);
      return Math.min(1, Math.max(0, v));
    });
    const n = this.count;
    const m = t.length;
    const d = new Float32Array(DESCRIPTOR_LENGTH);
    let c = Float64Array.from(this.previous);
    const cost = (w: Float64Array, x: Float64Array) => {
      let s = 0;
      for (let i = 0; i < m; i++) s += (w[i]! - t[i]!) ** 2;
      for (let k = 0; k < n; k++) s += this.options.prior * x[k]! ** 2;
      return s;
    };
    let w = this.weights(c, d);
    let current = cost(w, c);
    let damping = 1e-3;
    const h = 1e-3;
    const jac = new Float64Array(m * n);
    for (let it = 0; it < this.options.iterations; it++) {
      // The shape is linear in c: a probe along coefficient k adds h x basis row k.
      const base = this.shapeOf(c, d);
      const probe = new Float64Array(base.length);
      const rows = base.length;
      for (let k = 0; k < n; k++) {
        for (let j = 0; j < rows; j++) probe[j] = base[j]! + h * this.model.basis[k * rows + j]!;
        const wk = this.weightsOfShape(probe);
        for (let i = 0; i < m; i++) jac[i * n + k] = (wk[i]! - w[i]!) / h;
      }
      // Normal equations of the damped step: (JᵀJ + (prior + damping) I) δ = -(Jᵀ r + prior c).
      const a = new Float64Array(n * n);
      const g = new Float64Array(n);
      for (let i = 0; i < m; i++) {
        const r = w[i]! - t[i]!;
        for (let k = 0; k < n; k++) {
          const jk = jac[i * n + k]!;
          if (jk === 0) continue;
          g[k] = g[k]! + jk * r;
          for (let l = 0; l <= k; l++) a[k * n + l] = a[k * n + l]! + jk * jac[i * n + l]!;
        }
      }
      let improved = false;
      for (let attempt = 0; attempt < 6 && !improved; attempt++) {
        const step = solveSymmetric(a, g, c, n, this.options.prior, damping);
        const next = Float64Array.from(c, (v, k) => v + step[k]!);
        const wn = this.weights(next, d);
        const nextCost = cost(wn, next);
        if (nextCost < current) {
          c = next;
          w = wn;
          current = nextCost;
          damping = Math.max(1e-6, damping / 3);
          improved = true;
        } else damping *= 10;
      }
      if (!improved) break;
    }
    this.previous = c;
    const out = new Float32Array(DESCRIPTOR_LENGTH);
    const e0 = DescriptorField.expression.start;
    for (let k = 0; k < n; k++) out[e0 + k] = c[k]!;
    const r0 = DescriptorField.rotation.start;
    out[r0] = head.pitch ?? 0;
    out[r0 + 1] = head.yaw ?? 0;
    out[r0 + 2] = head.roll ?? 0;
    out.set(this.options.translation, DescriptorField.translation.start);
    return out;
  }

  /** Starts the next take from the mean face. */
  reset(): void {
    this.previous = new Float64Array(this.count);
  }
}

/** Solves `(A + (prior + damping) I) x = -(g + prior c)` for symmetric A (lower triangle filled), by Cholesky. */
function solveSymmetric(
  a: Float64Array,
  g: Float64Array,
  c: Float64Array,
  n: number,
  prior: number,
  damping: number,
): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]! + (i === j ? prior + damping : 0);
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -(g[i]! + prior * c[i]!);
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  return y;
}
