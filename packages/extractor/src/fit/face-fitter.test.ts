import { existsSync } from 'node:fs';
import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core';
import { describe, expect, it } from 'vitest';
import type { FaceModel, ReconstructedMesh } from '@semface/face-model';
import {
  FaceModelNotFoundError,
  InvalidDescriptorError,
  InvalidFrameError,
  InvalidMeshError,
} from '../errors.js';
import type { DetectedFace } from '../types.js';
import { DEFAULT_FACE_MODEL_DIR, FaceFitter } from './face-fitter.js';
import { rasterizeMesh } from './rasterize.js';
import { gaussian, seededRandom } from './synthetic-face-model.js';
import { createSyntheticFaceModel } from './synthetic-face-model.js';

const FRAME = { width: 640, height: 480 };

function randomDescriptor(model: FaceModel, seed: number, poseScale = 1): Float32Array {
  const rand = seededRandom(seed);
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  const F = DescriptorField;
  for (let i = 0; i < model.identityCount; i++) d[F.identity.start + i] = gaussian(rand);
  for (let i = 0; i < model.expressionCount; i++) d[F.expression.start + i] = gaussian(rand);
  for (let i = 0; i < model.textureCount; i++) d[F.texture.start + i] = gaussian(rand);
  d[F.rotation.start] = (rand() - 0.5) * 0.5 * poseScale;
  d[F.rotation.start + 1] = (rand() - 0.5) * 0.8 * poseScale;
  d[F.rotation.start + 2] = (rand() - 0.5) * 0.5 * poseScale;
  for (let c = 0; c < 3; c++) {
    d[F.lighting.start + c * 9] = 1.1 + 0.1 * rand();
    for (let k = 1; k < 9; k++) d[F.lighting.start + c * 9 + k] = (rand() - 0.5) * 0.1;
  }
  d[F.translation.start] = (rand() - 0.5) * 0.4;
  d[F.translation.start + 1] = (rand() - 0.5) * 0.4;
  d[F.translation.start + 2] = 1.2 + rand() * 0.5;
  return d;
}

function faceFromMesh(positions: Float32Array): DetectedFace {
  return {
    box: { x: 0, y: 0, width: 1, height: 1 },
    score: 1,
    meshScore: 1,
    mesh: positions,
    pointCount: positions.length / 3,
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array, start: number, end: number): number {
  let m = 0;
  for (let i = start; i < end; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Mean absolute RGB difference over vertices facing the camera. */
function visibleColorError(mesh: ReconstructedMesh, colors: Float32Array): number {
  let err = 0;
  let n = 0;
  for (let i = 0; i < mesh.colors.length / 3; i++) {
    if ((mesh.normals[i * 3 + 2] as number) > -0.3) continue;
    for (let c = 0; c < 3; c++)
      err += Math.abs((colors[i * 3 + c] as number) - (mesh.colors[i * 3 + c] as number));
    n += 3;
  }
  return err / n;
}

describe('FaceFitter on a synthetic model', () => {
  const model = createSyntheticFaceModel({ seed: 7 });
  const fitter = new FaceFitter(model);
  // Enough iterations to converge, for tests of exact recovery.
  const converged = new FaceFitter(model, {
    shapeIterations: 3,
    appearanceIterations: 6,
    textureSolverSteps: 4,
  });

  it('recovers pose, shape, lighting and texture from its own rebuilt mesh', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const d = randomDescriptor(model, seed);
      const mesh = fitter.meshFromDescriptor(d, FRAME);
      const fitted = converged.fitWithColors(faceFromMesh(mesh.positions), mesh.colors, FRAME);
      const e = fitted.descriptor;
      expect(fitted.fitErrorPercent).toBeLessThan(0.2);
      expect(maxAbsDiff(e, d, DescriptorField.rotation.start, DescriptorField.rotation.end)).toBeLessThan(
        1e-3,
      );
      expect(
        maxAbsDiff(e, d, DescriptorField.translation.start, DescriptorField.translation.end),
      ).toBeLessThan(1e-3);
      expect(maxAbsDiff(e, d, 0, model.identityCount)).toBeLessThan(0.05);
      const exp = DescriptorField.expression.start;
      expect(maxAbsDiff(e, d, exp, exp + model.expressionCount)).toBeLessThan(0.05);
      // Smooth albedo changes and low-order lighting are nearly interchangeable, so the split
      // between them is checked loosely and the colours they produce tightly.
      const tex = DescriptorField.texture.start;
      expect(maxAbsDiff(e, d, tex, tex + model.textureCount)).toBeLessThan(0.8);
      expect(maxAbsDiff(e, d, DescriptorField.lighting.start, DescriptorField.lighting.end)).toBeLessThan(
        0.1,
      );
      const rebuilt = fitter.meshFromDescriptor(e, FRAME);
      expect(visibleColorError(mesh, rebuilt.colors)).toBeLessThan(0.005);
    }
  });

  it('is stable under a second round trip (descriptor -> mesh -> descriptor)', () => {
    const d = randomDescriptor(model, 11);
    const m1 = fitter.meshFromDescriptor(d, FRAME);
    const d1 = converged.fitWithColors(faceFromMesh(m1.positions), m1.colors, FRAME).descriptor;
    const m2 = fitter.meshFromDescriptor(d1, FRAME);
    const d2 = converged.fitWithColors(faceFromMesh(m2.positions), m2.colors, FRAME).descriptor;
    expect(maxAbsDiff(d1, d2, 0, DescriptorField.texture.start)).toBeLessThan(0.01);
    expect(maxAbsDiff(d1, d2, DescriptorField.rotation.start, DescriptorField.lighting.start)).toBeLessThan(
      0.001,
    );
    expect(visibleColorError(m1, fitter.meshFromDescriptor(d2, FRAME).colors)).toBeLessThan(0.005);
  });

  it('fits colours sampled from a rendered frame', () => {
    const d = randomDescriptor(model, 3, 0.3);
    const mesh = fitter.meshFromDescriptor(d, FRAME);
    const frame = rasterizeMesh(mesh, FRAME.width, FRAME.height, [30, 60, 90]);
    const fitted = fitter.fit(faceFromMesh(mesh.positions), frame);
    expect(fitted.fitErrorPercent).toBeLessThan(0.2);
    const rebuilt = fitter.meshFromDescriptor(fitted.descriptor, FRAME);
    expect(visibleColorError(mesh, rebuilt.colors)).toBeLessThan(0.01);
  });

  it('negates yaw and roll and keeps pitch under a horizontal mirror', () => {
    const d = randomDescriptor(model, 5);
    const mesh = fitter.meshFromDescriptor(d, FRAME);
    const face = faceFromMesh(mesh.positions);
    const mirrored = new Float32Array(mesh.positions.length);
    for (let i = 0; i < model.vertexCount; i++) {
      const j = fitter.mirror[i] as number;
      mirrored[i * 3] = FRAME.width - (mesh.positions[j * 3] as number);
      mirrored[i * 3 + 1] = mesh.positions[j * 3 + 1] as number;
      mirrored[i * 3 + 2] = mesh.positions[j * 3 + 2] as number;
    }
    const a = fitter.fitWithColors(face, mesh.colors, FRAME).descriptor;
    const b = fitter.fitWithColors(faceFromMesh(mirrored), mesh.colors, FRAME).descriptor;
    const r = DescriptorField.rotation.start;
    expect(Math.abs(a[r + 1] as number)).toBeGreaterThan(0.01);
    expect(b[r] as number).toBeCloseTo(a[r] as number, 2);
    expect(b[r + 1] as number).toBeCloseTo(-(a[r + 1] as number), 2);
    expect(b[r + 2] as number).toBeCloseTo(-(a[r + 2] as number), 2);
    const t = DescriptorField.translation.start;
    expect(b[t] as number).toBeCloseTo(-(a[t] as number), 2);
  });

  it('rejects bad meshes, frames, descriptors and options', () => {
    const d = randomDescriptor(model, 2);
    const mesh = fitter.meshFromDescriptor(d, FRAME);
    const frame = { width: 4, height: 4, data: new Uint8Array(64) };
    expect(() => fitter.fit(faceFromMesh(mesh.positions.subarray(0, 30)), frame)).toThrow(InvalidMeshError);
    const nan = Float32Array.from(mesh.positions);
    nan[5] = Number.NaN;
    expect(() => fitter.fit(faceFromMesh(nan), frame)).toThrow(InvalidMeshError);
    const flat = new Float32Array(mesh.positions.length).fill(3);
    expect(() => fitter.fit(faceFromMesh(flat), frame)).toThrow(InvalidMeshError);
    expect(() => fitter.fit({ ...faceFromMesh(mesh.positions), pointCount: 400 }, frame)).toThrow(
      InvalidMeshError,
    );
    expect(() =>
      fitter.fit(faceFromMesh(mesh.positions), { width: 4, height: 4, data: new Uint8Array(10) }),
    ).toThrow(InvalidFrameError);
    expect(() => fitter.meshFromDescriptor(new Float32Array(10))).toThrow(InvalidDescriptorError);
    expect(() => fitter.meshFromDescriptor(d, { width: 0, height: 10 })).toThrow(InvalidFrameError);
    expect(() => new FaceFitter(model, { shapeIterations: 0 })).toThrow(RangeError);
    expect(() => new FaceFitter(model, { visibilityThreshold: '1' as unknown as number })).toThrow(TypeError);
  });

  it('accepts 478-point meshes (iris points are ignored)', () => {
    const d = randomDescriptor(model, 4);
    const mesh = fitter.meshFromDescriptor(d, FRAME);
    const withIris = new Float32Array(478 * 3);
    withIris.set(mesh.positions);
    withIris.fill(100, mesh.positions.length);
    const a = fitter.fitWithColors(faceFromMesh(mesh.positions), mesh.colors, FRAME).descriptor;
    const b = fitter.fitWithColors(faceFromMesh(withIris), mesh.colors, FRAME).descriptor;
    expect(maxAbsDiff(a, b, 0, DESCRIPTOR_LENGTH)).toBe(0);
  });
});

describe('FaceFitter.load', () => {
  it('reports a missing model directory', async () => {
    const load = FaceFitter.load('/nonexistent/face-model');
    await expect(load).rejects.toBeInstanceOf(FaceModelNotFoundError);
    await expect(load).rejects.toMatchObject({ code: 'SEMFACE_ERR_FACE_MODEL_NOT_FOUND' });
  });
});

const shipped = existsSync(`${DEFAULT_FACE_MODEL_DIR}/face-model.json`);
describe.skipIf(!shipped)('the shipped face model', () => {
  it('loads and round-trips a descriptor', async () => {
    const fitter = await FaceFitter.load();
    expect(fitter.model.vertexCount).toBe(468);
    const d = randomDescriptor(fitter.model, 9, 0.5);
    for (let i = 0; i < 224; i++) d[i] = (d[i] as number) * 0.5;
    const mesh = fitter.meshFromDescriptor(d, FRAME);
    const fitted = fitter.fitWithColors(faceFromMesh(mesh.positions), mesh.colors, FRAME);
    expect(fitted.fitErrorPercent).toBeLessThan(0.5);
    expect(
      maxAbsDiff(fitted.descriptor, d, DescriptorField.rotation.start, DescriptorField.rotation.end),
    ).toBeLessThan(0.01);
    // The mirror map pairs the outer eye corners (33, 263) and mouth corners (61, 291), keeps the
    // nose tip (1) and is its own inverse.
    expect(fitter.mirror[fitter.model.landmarks.eyeRightOuter]).toBe(fitter.model.landmarks.eyeLeftOuter);
    expect([fitter.mirror[61], fitter.mirror[1]]).toEqual([291, 1]);
    expect(fitter.mirror.every((j, i) => fitter.mirror[j] === i)).toBe(true);
  });
});
