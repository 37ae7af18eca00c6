import { existsSync } from 'node:fs';
import { bench, describe } from 'vitest';
// The extractor's public entry (built dist); the bench folder is not a workspace package.
import {
  DEFAULT_FACE_MODEL_DIR,
  type DetectedFace,
  FaceFitter,
  createSyntheticFaceModel,
  rasterizeMesh,
} from '../packages/extractor/dist/index.js';

// Goal: one FaceFitter.fit (468 points, colours sampled from the frame) well under 5 ms on one core.
const shipped = existsSync(`${DEFAULT_FACE_MODEL_DIR}/face-model.json`);
const fitter = shipped ? await FaceFitter.load() : new FaceFitter(createSyntheticFaceModel());
const descriptor = new Float32Array(257);
descriptor[225] = 0.3;
for (let c = 0; c < 3; c++) descriptor[227 + c * 9] = 1.1;
descriptor[256] = 1.2;
const mesh = fitter.meshFromDescriptor(descriptor, { width: 640, height: 480 });
const frame = rasterizeMesh(mesh, 640, 480, [40, 40, 40]);
const face: DetectedFace = {
  box: { x: 0, y: 0, width: 640, height: 480 },
  score: 1,
  meshScore: 1,
  mesh: mesh.positions,
  pointCount: 468,
};

describe(`face fit (${shipped ? 'shipped' : 'synthetic'} model)`, () => {
  bench('FaceFitter.fit (one face)', () => {
    fitter.fit(face, frame);
  });
  bench('FaceFitter.meshFromDescriptor', () => {
    fitter.meshFromDescriptor(descriptor, { width: 640, height: 480 });
  });
});
