import { InvalidMeshError } from '../errors.js';
import { MESH_VERTEX_COUNT } from '../types.js';
import { type MeshStabilizerOptions, resolveMeshStabilizerOptions } from './mesh-stabilizer-options.js';

/** Outer eye corners (subject's right, left): their 3-D distance is the speed unit (IOD). */
const EYE_OUTER_RIGHT = 33;
const EYE_OUTER_LEFT = 263;
/** Fewest points a mesh needs (both eye corners). */
const MIN_POINTS = EYE_OUTER_LEFT + 1;

/** Smoothing factor of a first-order low-pass with cutoff `hz` at time step `dt` seconds. */
function alpha(hz: number, dt: number): number {
  return 1 / (1 + 1 / (2 * Math.PI * hz * dt));
}

/**
 * Temporal stabiliser for tracked face meshes: a One-Euro filter (Casiez et al., CHI 2012), causal,
 * no frames buffered. Each step's cutoff rises with speed, so a still face (whose mesh only moves by
 * detector noise) is smoothed strongly and real motion passes with little lag (steady lag below
 * `1 / (2π · beta)` IOD relative to the centroid; docs/streaming.md).
 *
 * Only the shape is filtered: the points relative to their centroid (over the 468 face points). The
 * centroid passes through unfiltered, because it moves with the image (camera shake, head
 * translation): smoothing it lagged the mesh behind the face (1.2 % IOD mean fit error against the
 * detected mesh on a still photo with +/-2 px shifts, docs/streaming.md) and would read as every point
 * moving, opening the cutoff for the shape, which is what expression and rotation are fitted from.
 * Each point has one cutoff for its x, y, z (from its 3-D speed), so it moves along its own path.
 *
 * Holds state for one face: call {@link reset} on track loss, a new face or a scene cut.
 */
export class MeshStabilizer {
  readonly options: Readonly<MeshStabilizerOptions>;
  /** Points in the current track; 0 = no state (next mesh passes through and starts the filter). */
  private count = 0;
  private lastTime: number | undefined;
  /** Filtered points relative to the centroid, pixels. */
  private rel = new Float64Array(0);
  /** Filtered velocity of `rel`, pixels per second. */
  private relRate = new Float64Array(0);
  /** Centroid of the current mesh. */
  private readonly raw = new Float64Array(3);

  /** @throws TypeError / RangeError for invalid options. */
  constructor(options: Partial<MeshStabilizerOptions> = {}) {
    this.options = resolveMeshStabilizerOptions(options);
  }

  /** True once a mesh was filtered since the last {@link reset}. */
  get tracking(): boolean {
    return this.count > 0;
  }

  /** Forgets the state: the next mesh is returned unchanged and restarts the filter. */
  reset(): void {
    this.count = 0;
    this.lastTime = undefined;
  }

  /**
   * Filters the next mesh of the tracked face and returns the stabilised copy (`mesh` is not changed).
   * The first mesh after a reset (or after the point count changes) is returned as is.
   * @param mesh `count * 3` floats (x, y, z pixels), at least 264 points (the eye corners).
   * @param timeSeconds Capture time in seconds; omitted, non-increasing or repeated times step by
   *   `1 / frameRate`.
   * @throws InvalidMeshError (SEMFACE_ERR_INVALID_MESH) for a malformed or non-finite mesh;
   *   TypeError for a non-finite time.
   */
  filter(mesh: Float32Array, timeSeconds?: number): Float32Array {
    if (timeSeconds !== undefined && !Number.isFinite(timeSeconds)) {
      throw new TypeError('timeSeconds must be a finite number');
    }
    if (!(mesh instanceof Float32Array) || mesh.length % 3 !== 0 || mesh.length < MIN_POINTS * 3) {
      throw new InvalidMeshError(`mesh must be a Float32Array of >= ${MIN_POINTS} x 3 values`);
    }
    for (const x of mesh) if (!Number.isFinite(x)) throw new InvalidMeshError('non-finite coordinate');
    const n = mesh.length / 3;
    const centroidPoints = Math.min(n, MESH_VERTEX_COUNT);
    const c = this.raw;
    c.fill(0);
    for (let i = 0; i < centroidPoints; i++) {
      for (let k = 0; k < 3; k++) c[k] = (c[k] as number) + (mesh[i * 3 + k] as number);
    }
    for (let k = 0; k < 3; k++) c[k] = (c[k] as number) / centroidPoints;

    if (this.count !== n) {
      this.start(mesh, n, timeSeconds);
      return Float32Array.from(mesh);
    }
    const o = this.options;
    let dt = 1 / o.frameRate;
    if (timeSeconds !== undefined && this.lastTime !== undefined && timeSeconds > this.lastTime) {
      dt = timeSeconds - this.lastTime;
    }
    if (timeSeconds !== undefined) this.lastTime = Math.max(timeSeconds, this.lastTime ?? timeSeconds);
    // Speeds in IOD/s; a degenerate mesh (eyes on one point) falls back to pixels/s.
    const a3 = EYE_OUTER_RIGHT * 3;
    const b3 = EYE_OUTER_LEFT * 3;
    const iod = Math.hypot(
      (mesh[a3] as number) - (mesh[b3] as number),
      (mesh[a3 + 1] as number) - (mesh[b3 + 1] as number),
      (mesh[a3 + 2] as number) - (mesh[b3 + 2] as number),
    );
    const perIod = iod > 0 ? 1 / iod : 1;
    const ad = alpha(o.derivativeCutoff, dt);
    const out = new Float32Array(n * 3);

    // Shape: each point relative to the centroid.
    const rel = this.rel;
    const rate = this.relRate;
    for (let i = 0; i < n; i++) {
      const p = i * 3;
      let s2 = 0;
      for (let k = 0; k < 3; k++) {
        const x = (mesh[p + k] as number) - (c[k] as number);
        const r =
          (rate[p + k] as number) + ad * ((x - (rel[p + k] as number)) / dt - (rate[p + k] as number));
        rate[p + k] = r;
        s2 += r * r;
      }
      const a = alpha(o.minCutoff + o.beta * Math.sqrt(s2) * perIod, dt);
      for (let k = 0; k < 3; k++) {
        const x = (mesh[p + k] as number) - (c[k] as number);
        const y = (rel[p + k] as number) + a * (x - (rel[p + k] as number));
        rel[p + k] = y;
        out[p + k] = y + (c[k] as number);
      }
    }
    return out;
  }

  private start(mesh: Float32Array, n: number, timeSeconds: number | undefined): void {
    if (this.rel.length !== n * 3) {
      this.rel = new Float64Array(n * 3);
      this.relRate = new Float64Array(n * 3);
    }
    for (let i = 0; i < n * 3; i++) this.rel[i] = (mesh[i] as number) - (this.raw[i % 3] as number);
    this.relRate.fill(0);
    this.count = n;
    this.lastTime = timeSeconds;
  }
}
