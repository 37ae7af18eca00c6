/** A deterministic xorshift32 generator of unsigned 32-bit integers (tests only; seed 0 acts as 1). */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Deterministic integer latents for tests (xorshift32; not product code). */
export function testLatents(frames: number, dim: number, seed: number, spread = 3): Int32Array[] {
  const next = xorshift32(seed);
  const out: Int32Array[] = [];
  for (let f = 0; f < frames; f++) {
    const row = new Int32Array(dim);
    for (let c = 0; c < dim; c++) {
      const r = next();
      // Two-sided geometric magnitudes, wider for some channels, with rare large outliers.
      let m = 0;
      while (m < 30 && next() % (spread + (c % 4)) !== 0) m++;
      row[c] = (r & 0xff) === 0 ? (r >>> 12) - 500_000 : r & 1 ? m : -m;
    }
    out.push(row);
  }
  return out;
}
