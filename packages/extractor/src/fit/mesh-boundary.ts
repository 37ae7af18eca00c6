/**
 * Marks vertices on the open boundary of a triangle mesh (on an edge used by one triangle only):
 * the face oval and the rims of the eye and mouth openings, where sampled colours mix in
 * background, eyes or teeth.
 */
export function boundaryVertices(triangles: Uint16Array | Uint32Array, vertexCount: number): Uint8Array {
  const edges = new Map<number, number>();
  for (let f = 0; f < triangles.length; f += 3) {
    for (let e = 0; e < 3; e++) {
      const a = triangles[f + e] as number;
      const b = triangles[f + ((e + 1) % 3)] as number;
      const key = Math.min(a, b) * 65536 + Math.max(a, b);
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  const out = new Uint8Array(vertexCount);
  for (const [key, count] of edges) {
    if (count !== 1) continue;
    out[Math.floor(key / 65536)] = 1;
    out[key % 65536] = 1;
  }
  return out;
}
