/**
 * Unit vertex normals of a triangle mesh (area-weighted face normals), written into `out`
 * (`vertexCount * 3`). Vertices on no triangle get (0, 0, 0).
 */
export function vertexNormals(
  positions: ArrayLike<number>,
  vertexCount: number,
  triangles: Uint16Array | Uint32Array,
  out: Float64Array,
): void {
  out.fill(0, 0, vertexCount * 3);
  for (let f = 0; f < triangles.length; f += 3) {
    const a = (triangles[f] as number) * 3;
    const b = (triangles[f + 1] as number) * 3;
    const c = (triangles[f + 2] as number) * 3;
    const ax = positions[a] as number;
    const ay = positions[a + 1] as number;
    const az = positions[a + 2] as number;
    const ux = (positions[b] as number) - ax;
    const uy = (positions[b + 1] as number) - ay;
    const uz = (positions[b + 2] as number) - az;
    const vx = (positions[c] as number) - ax;
    const vy = (positions[c + 1] as number) - ay;
    const vz = (positions[c + 2] as number) - az;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    accumulate(out, a, nx, ny, nz);
    accumulate(out, b, nx, ny, nz);
    accumulate(out, c, nx, ny, nz);
  }
  for (let i = 0; i < vertexCount * 3; i += 3) {
    const x = out[i] as number;
    const y = out[i + 1] as number;
    const z = out[i + 2] as number;
    const len = Math.sqrt(x * x + y * y + z * z);
    if (len > 0) {
      out[i] = x / len;
      out[i + 1] = y / len;
      out[i + 2] = z / len;
    }
  }
}

function accumulate(out: Float64Array, i: number, nx: number, ny: number, nz: number): void {
  out[i] = (out[i] as number) + nx;
  out[i + 1] = (out[i + 1] as number) + ny;
  out[i + 2] = (out[i + 2] as number) + nz;
}
