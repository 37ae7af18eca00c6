import { writeFile } from 'node:fs/promises';
import { FaceMeshDetector, readImageFile } from '@semface/extractor';
import { demoPhotoPaths } from './sources/demo-photos.js';
import { type FaceTopologyJson, buildFaceTopology } from '@semface/viewer';

/**
 * Regenerates `public/face-topology.json`: detects the face mesh on the demo photos shipped by
 * @vladmandic/face-api and triangulates their mean shape. Run after `pnpm build`:
 * `node packages/cli/dist/demo/generate-topology.js packages/viewer/public/face-topology.json`
 */
async function main(out: string): Promise<void> {
  const detector = await FaceMeshDetector.create();
  const meshes: Float32Array[] = [];
  for (const path of demoPhotoPaths()) {
    const faces = await detector.detect(await readImageFile(path));
    if (faces[0]) meshes.push(faces[0].mesh);
  }
  await detector.dispose();
  const topo = buildFaceTopology(meshes);
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  const json: FaceTopologyJson = {
    about: `Delaunay triangulation of the cylindrical unwrap of the mean face mesh of ${meshes.length} demo photos (generate-topology.ts)`,
    vertexCount: topo.vertexCount,
    meanShape: Array.from(topo.meanShape, round),
    triangles: Array.from(topo.triangles),
  };
  await writeFile(out, `${JSON.stringify(json)}\n`);
  process.stdout.write(`${out}: ${topo.triangles.length / 3} triangles from ${meshes.length} meshes\n`);
}

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: generate-topology.js <out.json>\n');
  process.exitCode = 2;
} else await main(out);
