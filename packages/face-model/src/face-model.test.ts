import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FaceModelInvalidError, FaceModelNotFoundError } from './errors.js';
import { FaceModel } from './face-model.js';
import { FACE_MODEL_FILES, FACE_MODEL_FORMAT, FaceModelBlock } from './format.js';
import { SH_DC } from './geometry.js';
import { FACE_MODEL_SPEC } from './generated/format-spec.js';
import { meshFromDescriptor } from './mesh.js';
import { decodeFaceModel, encodeFaceModel, loadFaceModel, sha256Hex } from './node.js';

const pkg = fileURLToPath(new URL('../', import.meta.url));
const PARITY_DIR = join(pkg, 'contracts/parity');

/**
 * The parity model (also built by training/facemodel/test_model_io.py): 4 vertices, 2 / 3 / 1
 * components, 3 triangles (so the uint16 block needs padding), values exact in float32.
 */
function parityModel(): FaceModel {
  const values = (n: number, seed: number) =>
    Float32Array.from({ length: n }, (_, i) => (((i + seed) * 37) % 101) / 64 - 0.75);
  return new FaceModel({
    vertexCount: 4,
    meanShape: values(12, 1),
    identityBasis: values(24, 2),
    expressionBasis: values(36, 3),
    meanAlbedo: values(12, 4),
    textureBasis: values(12, 5),
    triangles: Uint16Array.from([0, 1, 2, 0, 2, 3, 1, 3, 2]),
    landmarks: { eyeRightOuter: 0, eyeLeftOuter: 3 },
    prior: { shapeNoiseVariance: 0.25, textureNoiseVariance: 0.5 },
    training: { parity: true },
  });
}

describe('face-model format', () => {
  it('the generated TypeScript view matches contracts/face-model-format.json', () => {
    const run = spawnSync(process.execPath, [join(pkg, 'scripts/generate-format.mjs'), '--check']);
    expect(run.stderr.toString()).toBe('');
    expect(run.status).toBe(0);
    expect(FACE_MODEL_FORMAT).toBe('semface-face-model');
    expect(Object.keys(FaceModelBlock)).toEqual(FACE_MODEL_SPEC.blocks.map((b) => b.name));
  });

  it('round-trips through encode/decode and rejects a corrupted or foreign file', () => {
    const model = parityModel();
    const { header, blob } = encodeFaceModel(model);
    const back = decodeFaceModel(JSON.parse(JSON.stringify(header)), blob);
    for (const b of FACE_MODEL_SPEC.blocks) expect(back[b.name]).toEqual(model[b.name]);
    expect(back.sha256).toBe(header.blob.sha256);
    // Without a checksum (a page) the model still decodes; with a wrong one it does not.
    expect(FaceModel.decode(header, blob).expressionCount).toBe(3);
    const bad = Uint8Array.from(blob);
    bad[10] = bad[10]! ^ 1;
    expect(() => decodeFaceModel(header, bad)).toThrow(FaceModelInvalidError);
    expect(() => FaceModel.decode({ ...header, version: 99 }, blob)).toThrow(FaceModelInvalidError);
    expect(() => FaceModel.decode({ format: 'other' }, blob)).toThrow(FaceModelInvalidError);
    const nan = new Float32Array(12).fill(Number.NaN);
    expect(() => new FaceModel({ ...model, meanShape: nan })).toThrow(/non-finite/);
  });

  it('reads a model directory and reports a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'face-model-'));
    const { header, blob } = encodeFaceModel(parityModel());
    writeFileSync(join(dir, FACE_MODEL_FILES.header), JSON.stringify(header));
    writeFileSync(join(dir, FACE_MODEL_FILES.blob), blob);
    expect((await loadFaceModel(dir)).sha256).toBe(sha256Hex(blob));
    await expect(loadFaceModel('/nonexistent/face-model')).rejects.toBeInstanceOf(FaceModelNotFoundError);
  });

  it('writes the files Python writes (contracts/parity, checked by training/facemodel/test_model_io.py)', () => {
    const { header, blob } = encodeFaceModel(parityModel());
    const headerPath = join(PARITY_DIR, FACE_MODEL_FILES.header);
    if (!existsSync(headerPath) || process.env.SEMFACE_UPDATE_PARITY === '1') {
      mkdirSync(PARITY_DIR, { recursive: true });
      writeFileSync(headerPath, `${JSON.stringify(header, null, 2)}\n`);
      writeFileSync(join(PARITY_DIR, FACE_MODEL_FILES.blob), blob);
    }
    expect(JSON.parse(readFileSync(headerPath, 'utf8'))).toEqual(header);
    expect(new Uint8Array(readFileSync(join(PARITY_DIR, FACE_MODEL_FILES.blob)))).toEqual(blob);
  });
});

describe('meshFromDescriptor', () => {
  it('poses the mean shape and shades the mean albedo under neutral light for a zero descriptor', () => {
    const model = parityModel();
    const d = new Float32Array(257);
    for (const c of [0, 9, 18]) d[227 + c] = 1 / SH_DC;
    d.set([0.5, -0.5, Math.log(2)], 254); // origin at (3/4 w, 1/4 h), half the frame's short side per unit
    const mesh = meshFromDescriptor(model, d, { width: 200, height: 100 });
    for (let i = 0; i < 4; i++) {
      expect(mesh.positions[i * 3]).toBeCloseTo(150 + 50 * model.meanShape[i * 3]!, 4);
      expect(mesh.positions[i * 3 + 1]).toBeCloseTo(25 + 50 * model.meanShape[i * 3 + 1]!, 4);
    }
    mesh.colors.forEach((c, i) => expect(c).toBeCloseTo(Math.max(0, Math.min(1, model.meanAlbedo[i]!)), 6));
    expect(mesh.triangles).toBe(model.triangles);
  });
});

describe('the main entry is browser-safe', () => {
  it('imports no node: module (disk access lives in ./node)', () => {
    const src = fileURLToPath(new URL('.', import.meta.url));
    const offending = readdirSync(src)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'node.ts')
      .filter((f) => /from '(node:|fs|path|crypto)/.test(readFileSync(join(src, f), 'utf8')));
    expect(offending).toEqual([]);
  });
});
