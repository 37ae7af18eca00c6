/**
 * Left/right vertex correspondence of a face mesh, derived from a (near-)symmetric shape in the
 * canonical frame: vertex i's partner is the vertex nearest to i mirrored across the plane
 * x = mean x. Midline vertices map to themselves.
 */
export function mirrorMap(shape: ArrayLike<number>, vertexCount: number): Uint16Array {
  let cx = 0;
  for (let i = 0; i < vertexCount; i++) cx += shape[i * 3] as number;
  cx /= vertexCount;
  const out = new Uint16Array(vertexCount);
  for (let i = 0; i < vertexCount; i++) {
    const mx = 2 * cx - (shape[i * 3] as number);
    const my = shape[i * 3 + 1] as number;
    const mz = shape[i * 3 + 2] as number;
    let best = i;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < vertexCount; j++) {
      const dx = (shape[j * 3] as number) - mx;
      const dy = (shape[j * 3 + 1] as number) - my;
      const dz = (shape[j * 3 + 2] as number) - mz;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}
