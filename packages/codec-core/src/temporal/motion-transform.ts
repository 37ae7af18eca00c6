import { DescriptorField, type DescriptorFieldName as FieldName } from '../descriptor/layout.js';
import { MAX_LATENT_MAGNITUDE } from '../entropy/signed-map.js';
import { InvalidModelError, UnknownModelIdError } from '../errors.js';
import { BUILTIN_MOTION_TRANSFORM_ID, BUILTIN_MOTION_TRANSFORM_JSON } from './motion-transform-data.js';

/** Format tag of a motion transform file (`<models>/<id>/transform.json`). */
export const MOTION_TRANSFORM_FORMAT = 'semface-motion-transform' as const;

/**
 * Fixed linear transform of the per-frame fields (expression, rotation, translation) for the
 * transform per-frame layer: coefficient `y = B (w * (x - mean))` with an orthonormal basis `B` (KLT,
 * rows in descending variance) and per-value weights `w`; inverse `x = mean + (B^T y) / w`. All
 * parameters are integers in the file (basis in units of 1/basisScale, mean in units of meanUnit), so
 * the file hashes to one id and the decoder's output is a fixed function of the coded integers.
 */
export class MotionTransform {
  /** Number of coefficients (= values of the fields). */
  readonly dims: number;
  /** Descriptor index of each value, in transform order. */
  readonly indices: Int32Array;
  private readonly mean: Float64Array;
  private readonly weight: Float64Array;
  private readonly basis: Float64Array;

  constructor(
    /** First 12 hex digits of the SHA-256 of the parameter file. */
    readonly id: string,
    /** Fields covered, in order. */
    readonly fields: readonly FieldName[],
    params: { mean: Float64Array; weight: Float64Array; basis: Float64Array },
  ) {
    const indices: number[] = [];
    for (const name of fields) {
      const f = DescriptorField[name];
      for (let i = f.start; i < f.end; i++) indices.push(i);
    }
    this.dims = indices.length;
    this.indices = Int32Array.from(indices);
    const n = this.dims;
    if (params.mean.length !== n || params.weight.length !== n || params.basis.length !== n * n) {
      throw new InvalidModelError(`motion transform ${id}: parameter lengths do not match ${n} values`);
    }
    this.mean = params.mean;
    this.weight = params.weight;
    this.basis = params.basis;
  }

  /** Transform coefficients of the per-frame fields of a 257-D descriptor. */
  analyse(descriptor: Float32Array): Float64Array {
    const n = this.dims;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = this.weight[i]! * (descriptor[this.indices[i]!]! - this.mean[i]!);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      const row = j * n;
      for (let i = 0; i < n; i++) s += this.basis[row + i]! * v[i]!;
      y[j] = s;
    }
    return y;
  }

  /**
   * Writes the per-frame fields reconstructed from integer coefficients `q` (step `step`) into `out`.
   * Fixed operation order: the same integers give the same floats on every IEEE-754 platform.
   */
  synthesise(q: Int32Array, step: number, out: Float32Array): void {
    const n = this.dims;
    if (q.length !== n) throw new RangeError(`expected ${n} coefficients, got ${q.length}`);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.basis[j * n + i]! * (q[j]! * step);
      out[this.indices[i]!] = this.mean[i]! + s / this.weight[i]!;
    }
  }

  /** Rounds coefficients to integers of step `step` (clamped to the coders' range). */
  quantise(y: Float64Array, step: number): Int32Array {
    const q = new Int32Array(y.length);
    for (let j = 0; j < y.length; j++) q[j] = clampLatent(Math.round(y[j]! / step));
    return q;
  }
}

/** Clamps to the integer range the coders carry. */
export function clampLatent(v: number): number {
  return v > MAX_LATENT_MAGNITUDE
    ? MAX_LATENT_MAGNITUDE
    : v < -MAX_LATENT_MAGNITUDE
      ? -MAX_LATENT_MAGNITUDE
      : v;
}

function intArray(json: unknown, n: number, what: string, id: string): number[] {
  if (!Array.isArray(json) || json.length !== n || !json.every((v) => Number.isInteger(v))) {
    throw new InvalidModelError(`motion transform ${id}: "${what}" must be ${n} integers`);
  }
  return json as number[];
}

/** Parses the JSON text of a motion transform file; `id` is the id it is known by. */
export function parseMotionTransform(text: string, id: string): MotionTransform {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new InvalidModelError(`motion transform ${id}: not valid JSON`);
  }
  if (j === null || typeof j !== 'object' || j.format !== MOTION_TRANSFORM_FORMAT || j.version !== 1) {
    throw new InvalidModelError(`motion transform ${id}: not a ${MOTION_TRANSFORM_FORMAT} v1 file`);
  }
  const fields = j.fields;
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string' && f in DescriptorField)) {
    throw new InvalidModelError(`motion transform ${id}: unknown fields`);
  }
  const n = fields.reduce(
    (s: number, f: FieldName) => s + DescriptorField[f].end - DescriptorField[f].start,
    0,
  );
  const meanUnit = j.meanUnit;
  const basisScale = j.basisScale;
  if (
    typeof meanUnit !== 'number' ||
    !(meanUnit > 0) ||
    !Number.isInteger(basisScale) ||
    (basisScale as number) < 1
  ) {
    throw new InvalidModelError(`motion transform ${id}: bad meanUnit or basisScale`);
  }
  const weight = intArray(j.weight, n, 'weight', id);
  if (weight.some((w) => w < 1)) throw new InvalidModelError(`motion transform ${id}: weights must be >= 1`);
  return new MotionTransform(id, fields as FieldName[], {
    mean: Float64Array.from(intArray(j.mean, n, 'mean', id), (v) => v * meanUnit),
    weight: Float64Array.from(weight),
    basis: Float64Array.from(intArray(j.basis, n * n, 'basis', id), (v) => v / (basisScale as number)),
  });
}

let builtin: MotionTransform | undefined;

/**
 * The motion transform shipped with codec-core (`models/<id>/transform.json`, manifest `transforms`;
 * its text is compiled in so streams can be opened synchronously, also in browsers).
 */
export function builtinMotionTransform(): MotionTransform {
  builtin ??= parseMotionTransform(BUILTIN_MOTION_TRANSFORM_JSON, BUILTIN_MOTION_TRANSFORM_ID);
  return builtin;
}

/** The known motion transform with this id, or {@link UnknownModelIdError}. */
export function motionTransformById(id: string): MotionTransform {
  if (id === BUILTIN_MOTION_TRANSFORM_ID) return builtinMotionTransform();
  throw new UnknownModelIdError(`motion transform ${id} is not known to this build`);
}
