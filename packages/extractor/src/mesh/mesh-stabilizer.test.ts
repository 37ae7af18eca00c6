import { describe, expect, it } from 'vitest';
import { InvalidMeshError } from '../errors.js';
import { MeshStabilizer } from './mesh-stabilizer.js';
import { MESH_STABILIZER_DEFAULTS, resolveMeshStabilizerOptions } from './mesh-stabilizer-options.js';

const N = 478;
const FPS = 25;
/** IOD of the synthetic face, pixels. */
const IOD = 100;

/** Deterministic standard normal numbers (Box-Muller on a small LCG). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** A face-sized point cloud with the outer eye corners (33, 263) IOD apart, centred on (cx, cy). */
function baseMesh(): Float32Array {
  const rnd = gaussian(7);
  const m = new Float32Array(N * 3);
  for (let i = 0; i < m.length; i++) m[i] = rnd() * 40;
  m.set([-IOD / 2, 0, 0], 33 * 3);
  m.set([IOD / 2, 0, 0], 263 * 3);
  return m;
}

function shifted(
  base: Float32Array,
  dx: number,
  dy: number,
  noise: () => number,
  sigma: number,
): Float32Array {
  const m = new Float32Array(base.length);
  for (let i = 0; i < base.length; i += 3) {
    m[i] = (base[i] as number) + 320 + dx + sigma * noise();
    m[i + 1] = (base[i + 1] as number) + 240 + dy + sigma * noise();
    m[i + 2] = (base[i + 2] as number) + sigma * noise();
  }
  return m;
}

/** Mean over coordinates of the std of frame-to-frame differences. */
function jitter(meshes: Float32Array[], from: number): number {
  let sum = 0;
  let count = 0;
  for (let t = from + 1; t < meshes.length; t++) {
    const a = meshes[t - 1]!;
    const b = meshes[t]!;
    for (let i = 0; i < a.length; i++) {
      sum += ((b[i] as number) - (a[i] as number)) ** 2;
      count++;
    }
  }
  return Math.sqrt(sum / count);
}

describe('MeshStabilizer', () => {
  it('cuts the jitter of a still, noisy mesh at least 3x', () => {
    const base = baseMesh();
    const noise = gaussian(1);
    const s = new MeshStabilizer();
    const raw: Float32Array[] = [];
    const out: Float32Array[] = [];
    for (let t = 0; t < 250; t++) {
      // 0.5 % IOD noise per coordinate: about the detector's jitter on a still face.
      const m = shifted(base, 0, 0, noise, 0.005 * IOD);
      raw.push(m);
      out.push(s.filter(m, t / FPS));
    }
    expect(jitter(out, 25)).toBeLessThan(jitter(raw, 25) / 3);
  });

  it('lags a moving point by at most one frame once it moves', () => {
    const base = baseMesh();
    const s = new MeshStabilizer();
    // Lips opening: point 13 moves down at 0.5 IOD/s (a slow talking motion), the rest is still.
    const speed = 0.5 * IOD;
    let last = 0;
    for (let t = 0; t < 50; t++) {
      const m = shifted(base, 0, 0, () => 0, 0);
      const y = t > 10 ? (speed * (t - 10)) / FPS : 0;
      m[13 * 3 + 1] = (m[13 * 3 + 1] as number) + y;
      const out = s.filter(m, t / FPS);
      last = (m[13 * 3 + 1] as number) - (out[13 * 3 + 1] as number);
    }
    expect(last).toBeGreaterThanOrEqual(0);
    expect(last).toBeLessThanOrEqual(speed / FPS);
  });

  it('keeps the steady lag below 1 / (2π beta) IOD at any speed', () => {
    const base = baseMesh();
    const s = new MeshStabilizer();
    let worst = 0;
    for (const speed of [0.01, 0.03, 0.1, 0.3, 1, 3]) {
      s.reset();
      for (let t = 0; t < 100; t++) {
        const m = shifted(base, 0, 0, () => 0, 0);
        m[61 * 3] = (m[61 * 3] as number) + (speed * IOD * t) / FPS;
        const out = s.filter(m, t / FPS);
        // After the speed estimate settled (its low-pass has a 0.16 s time constant).
        if (t >= 40) worst = Math.max(worst, Math.abs((m[61 * 3] as number) - (out[61 * 3] as number)) / IOD);
      }
    }
    expect(worst).toBeLessThan(1 / (2 * Math.PI * MESH_STABILIZER_DEFAULTS.beta));
  });

  it('follows a translation without lag and leaves the shape alone', () => {
    const base = baseMesh();
    const s = new MeshStabilizer();
    const rnd = gaussian(5);
    for (let t = 0; t < 30; t++) {
      // Camera shake: random shifts of a few pixels, no shape change.
      const m = shifted(base, 3 * rnd(), 3 * rnd(), () => 0, 0);
      const out = s.filter(m, t / FPS);
      for (let i = 0; i < m.length; i++) expect(out[i]).toBeCloseTo(m[i] as number, 3);
    }
  });

  it('passes the first mesh through, restarts on reset and on a new point count', () => {
    const base = baseMesh();
    const s = new MeshStabilizer();
    const a = shifted(base, 0, 0, () => 0, 0);
    expect(s.tracking).toBe(false);
    expect(Array.from(s.filter(a, 0))).toEqual(Array.from(a));
    expect(s.tracking).toBe(true);
    // A shape change (one point jumps) is smoothed while the filter runs...
    const b = shifted(base, 0, 0, () => 0, 0);
    b[13 * 3 + 1] = (b[13 * 3 + 1] as number) + 5;
    expect(s.filter(b, 1 / FPS)[13 * 3 + 1]).not.toBeCloseTo(b[13 * 3 + 1] as number, 1);
    // ...and passes through after a reset.
    s.reset();
    expect(Array.from(s.filter(b, 2 / FPS))).toEqual(Array.from(b));
    const short = b.subarray(0, 468 * 3).slice();
    expect(Array.from(s.filter(short, 3 / FPS))).toEqual(Array.from(short));
  });

  it('does not change its input and steps 1 / frameRate without timestamps', () => {
    const base = baseMesh();
    const withTimes = new MeshStabilizer({ frameRate: FPS });
    const without = new MeshStabilizer({ frameRate: FPS });
    const noise = gaussian(3);
    for (let t = 0; t < 10; t++) {
      const m = shifted(base, 0, 0, noise, 1);
      const copy = m.slice();
      const a = withTimes.filter(m, t / FPS);
      const b = without.filter(m);
      expect(Array.from(m)).toEqual(Array.from(copy));
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 3);
    }
  });

  it('rejects malformed meshes and times', () => {
    const s = new MeshStabilizer();
    expect(() => s.filter(new Float32Array(10 * 3))).toThrow(InvalidMeshError);
    expect(() => s.filter([1, 2, 3] as unknown as Float32Array)).toThrow(InvalidMeshError);
    const bad = baseMesh();
    bad[5] = Number.NaN;
    expect(() => s.filter(bad)).toThrow(InvalidMeshError);
    expect(() => s.filter(baseMesh(), Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});

describe('resolveMeshStabilizerOptions', () => {
  it('fills defaults, freezes, and validates', () => {
    const o = resolveMeshStabilizerOptions({ beta: 0, minCutoff: undefined });
    expect(o).toEqual({ ...MESH_STABILIZER_DEFAULTS, beta: 0 });
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(MESH_STABILIZER_DEFAULTS)).toBe(true);
    expect(() => resolveMeshStabilizerOptions({ minCutoff: 0 })).toThrow(RangeError);
    expect(() => resolveMeshStabilizerOptions({ derivativeCutoff: -1 })).toThrow(RangeError);
    expect(() => resolveMeshStabilizerOptions({ frameRate: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => resolveMeshStabilizerOptions({ beta: -1 })).toThrow(RangeError);
    expect(() => resolveMeshStabilizerOptions({ beta: '1' as unknown as number })).toThrow(TypeError);
    expect(() => resolveMeshStabilizerOptions(null as unknown as object)).toThrow(TypeError);
  });
});
