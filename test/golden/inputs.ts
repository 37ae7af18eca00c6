/** Deterministic golden inputs; mirror of training/reference/semface_ref/golden_inputs.py. */
import { MAX_LATENT_MAGNITUDE } from '@semface/codec-core';

class XorShift32 {
  private x: number;
  constructor(seed: number) {
    this.x = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.x;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.x = x;
    return x;
  }
}

/** Small per-channel ranges, temporal repeats, rare outliers, and a last frame of extreme values. */
export function goldenLatents(frames: number, dim: number, seed: number): Int32Array[] {
  const rng = new XorShift32(seed);
  const prev = new Int32Array(dim);
  const out: Int32Array[] = [];
  for (let f = 0; f < frames - 1; f++) {
    const row = new Int32Array(dim);
    for (let c = 0; c < dim; c++) {
      const r = rng.next();
      let v: number;
      if (f > 0 && (r & 3) === 0) v = prev[c]!;
      else if (((r >>> 2) & 0xff) === 0) v = ((r >>> 10) % 4000) - 2000;
      else {
        const a = c % 6;
        v = ((r >>> 10) % (2 * a + 1)) - a;
      }
      prev[c] = v;
      row[c] = v;
    }
    out.push(row);
  }
  out.push(Int32Array.from({ length: dim }, (_, c) => (c % 2 ? 1 : -1) * (MAX_LATENT_MAGNITUDE >> (c % 23))));
  return out;
}

/** Values k / 256 with k in [-1000, 1000]: exact in float32, so the fixture models act exactly. */
export function goldenDescriptors(frames: number, dim: number, seed: number): Float32Array[] {
  const rng = new XorShift32(seed);
  return Array.from({ length: frames }, () =>
    Float32Array.from({ length: dim }, () => (((rng.next() >>> 8) % 2001) - 1000) / 256),
  );
}
