import type { RgbaFrame } from '../types.js';
import type { ReconstructedMesh } from '@semface/face-model';

/**
 * Draws a reconstructed mesh into an RGBA frame (flat z-buffered triangles with Gouraud colours),
 * over `background` (RGB 0-255). Meant for tests, previews and fit-quality checks, not speed.
 */
export function rasterizeMesh(
  mesh: ReconstructedMesh,
  width: number,
  height: number,
  background: readonly [number, number, number] = [0, 0, 0],
): RgbaFrame {
  const data = new Uint8ClampedArray(width * height * 4);
  const depth = new Float64Array(width * height).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = background[0];
    data[i * 4 + 1] = background[1];
    data[i * 4 + 2] = background[2];
    data[i * 4 + 3] = 255;
  }
  const p = mesh.positions;
  const col = mesh.colors;
  const tri = mesh.triangles;
  for (let f = 0; f < tri.length; f += 3) {
    const a = tri[f] as number;
    const b = tri[f + 1] as number;
    const c = tri[f + 2] as number;
    const ax = p[a * 3] as number;
    const ay = p[a * 3 + 1] as number;
    const bx = p[b * 3] as number;
    const by = p[b * 3 + 1] as number;
    const cx = p[c * 3] as number;
    const cy = p[c * 3 + 1] as number;
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (Math.abs(area) < 1e-12) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx)));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy)));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by, cy)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        const wa = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
        const wb = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
        const wc = 1 - wa - wb;
        if (wa < -1e-9 || wb < -1e-9 || wc < -1e-9) continue;
        const z =
          wa * (p[a * 3 + 2] as number) + wb * (p[b * 3 + 2] as number) + wc * (p[c * 3 + 2] as number);
        const o = y * width + x;
        if (z >= (depth[o] as number)) continue;
        depth[o] = z;
        for (let k = 0; k < 3; k++) {
          const v =
            wa * (col[a * 3 + k] as number) +
            wb * (col[b * 3 + k] as number) +
            wc * (col[c * 3 + k] as number);
          data[o * 4 + k] = Math.round(v * 255);
        }
      }
    }
  }
  return { width, height, data };
}
