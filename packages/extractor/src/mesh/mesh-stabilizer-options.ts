/**
 * Options of {@link MeshStabilizer} (the One-Euro filter on tracked meshes). Speeds are in
 * inter-ocular distances per second (IOD/s, the 3-D outer-eye-corner distance of the current mesh),
 * so one setting works at any face size and resolution.
 */
export interface MeshStabilizerOptions {
  /**
   * Cutoff frequency in Hz when the face is still, > 0. Lower = steadier still faces, slower to
   * settle. Default 0.4 (with the default beta, expression and rotation jitter of a still face cut
   * ~4.4x at 25 fps: docs/streaming.md, "Temporal stabilisation").
   */
  readonly minCutoff: number;
  /**
   * Cutoff increase in Hz per IOD/s of (filtered) point speed, >= 0. Higher = less lag on motion: the
   * steady position lag of a moving point (relative to the face centroid, which is not filtered) stays
   * below `1 / (2π · beta)` IOD at any speed, and below one frame of motion once the point moves
   * faster than `(frameRate / (2π) - minCutoff) / beta` IOD/s. Default 30 (lag below 0.53 % IOD; one frame
   * above 0.15 IOD/s at 30 fps), chosen on the clips in docs/streaming.md.
   */
  readonly beta: number;
  /** Cutoff in Hz of the low-pass on the speed estimate, > 0. Default 1 (One-Euro's usual value). */
  readonly derivativeCutoff: number;
  /**
   * Frame rate in Hz assumed when `track()` gets no timestamps (or a non-increasing one), > 0.
   * Default 30.
   */
  readonly frameRate: number;
}

/** Defaults of {@link MeshStabilizerOptions}. */
export const MESH_STABILIZER_DEFAULTS: Readonly<MeshStabilizerOptions> = Object.freeze({
  minCutoff: 0.4,
  beta: 30,
  derivativeCutoff: 1,
  frameRate: 30,
});

/**
 * Merges user options over the defaults and validates them once.
 * @throws TypeError for a non-object or a non-number value, RangeError for out-of-range values.
 */
export function resolveMeshStabilizerOptions(
  options: Partial<MeshStabilizerOptions> = {},
): Readonly<MeshStabilizerOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError('stabilizer must be an object');
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...MESH_STABILIZER_DEFAULTS, ...defined } as MeshStabilizerOptions;
  positive('minCutoff', o.minCutoff, 1000);
  positive('derivativeCutoff', o.derivativeCutoff, 1000);
  positive('frameRate', o.frameRate, 1000);
  number('beta', o.beta);
  if (!(o.beta >= 0 && o.beta <= 1e6)) throw new RangeError(`beta must be in [0, 1e6], got ${o.beta}`);
  return Object.freeze({
    minCutoff: o.minCutoff,
    beta: o.beta,
    derivativeCutoff: o.derivativeCutoff,
    frameRate: o.frameRate,
  });
}

function number(name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`stabilizer.${name} must be a number`);
}

function positive(name: string, v: unknown, max: number): void {
  number(name, v);
  if (!(v > 0 && v <= max)) throw new RangeError(`stabilizer.${name} must be in (0, ${max}], got ${v}`);
}
