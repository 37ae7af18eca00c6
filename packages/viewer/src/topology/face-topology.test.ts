import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUBLIC_DIR } from '../web/public-dir.js';
import {
  FACE_VERTEX_COUNT,
  type FaceTopologyJson,
  faceTopologyFromJson,
  normalizeMesh,
} from './face-topology.js';

const committed = faceTopologyFromJson(
  JSON.parse(readFileSync(`${PUBLIC_DIR}face-topology.json`, 'utf8')) as FaceTopologyJson,
);

describe('committed face topology', () => {
  it('covers every face-mesh vertex with a manifold surface of consistent winding', () => {
    const t = committed.triangles;
    const used = new Set(t);
    expect(used.size).toBe(FACE_VERTEX_COUNT);
    // Every directed edge appears once (consistent orientation); an undirected edge at most twice.
    const directed = new Set<string>();
    for (let i = 0; i < t.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        const e = `${t[i + k]}:${t[i + ((k + 1) % 3)]}`;
        expect(directed.has(e)).toBe(false);
        directed.add(e);
      }
    }
  });

  it('faces the camera: most triangle normals of the mean shape point to -z', () => {
    const m = committed.meanShape;
    const t = committed.triangles;
    let toward = 0;
    for (let i = 0; i < t.length; i += 3) {
      const [a, b, c] = [t[i]! * 3, t[i + 1]! * 3, t[i + 2]! * 3];
      const nz = (m[b]! - m[a]!) * (m[c + 1]! - m[a + 1]!) - (m[b + 1]! - m[a + 1]!) * (m[c]! - m[a]!);
      if (nz < 0) toward++;
    }
    expect(toward / (t.length / 3)).toBeGreaterThan(0.95);
  });
});

describe('normalizeMesh', () => {
  it('removes position, scale and rotation', () => {
    const base = committed.meanShape;
    const moved = new Float32Array(base.length);
    const [c, s] = [Math.cos(0.4), Math.sin(0.4)];
    for (let i = 0; i < FACE_VERTEX_COUNT; i++) {
      const [x, y, z] = [base[i * 3]!, base[i * 3 + 1]!, base[i * 3 + 2]!];
      // Yaw 0.4 rad, scale 80, shift.
      moved[i * 3] = 80 * (c * x + s * z) + 300;
      moved[i * 3 + 1] = 80 * y + 200;
      moved[i * 3 + 2] = 80 * (-s * x + c * z) + 5;
    }
    const back = normalizeMesh(moved);
    const ref = normalizeMesh(base);
    for (let i = 0; i < back.length; i++) expect(back[i]).toBeCloseTo(ref[i]!, 3);
  });
});
