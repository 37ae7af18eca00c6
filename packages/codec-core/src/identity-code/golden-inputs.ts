/** Seeded test embeddings (xorshift32; values k / 1024, k in [-2048, 2047]); mirrors golden_embeddings in
 * training/reference/semface_ref/identity_code.py. */
export function goldenEmbeddings(count: number, dim: number, seed: number): Float64Array[] {
  let s = seed >>> 0;
  const out: Float64Array[] = [];
  for (let n = 0; n < count; n++) {
    const row = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      row[i] = ((s % 4096) - 2048) / 1024;
    }
    out.push(row);
  }
  return out;
}
