import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH } from '../descriptor/layout.js';
import { InvalidModelError, UnknownModelIdError } from '../errors.js';
import { BUILTIN_MOTION_TRANSFORM_ID, BUILTIN_MOTION_TRANSFORM_JSON } from './motion-transform-data.js';
import { builtinMotionTransform, motionTransformById, parseMotionTransform } from './motion-transform.js';

const modelsDir = new URL('../../models/', import.meta.url);

describe('motion transform', () => {
  it('is the shipped file: its SHA-256 gives the id, the manifest lists it', () => {
    const bytes = readFileSync(new URL(`${BUILTIN_MOTION_TRANSFORM_ID}/transform.json`, modelsDir));
    const digest = createHash('sha256').update(bytes).digest('hex');
    expect(digest.slice(0, 12)).toBe(BUILTIN_MOTION_TRANSFORM_ID);
    expect(bytes.toString('utf8')).toBe(BUILTIN_MOTION_TRANSFORM_JSON);
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', modelsDir), 'utf8'));
    const entry = manifest.transforms.find((t: { id: string }) => t.id === BUILTIN_MOTION_TRANSFORM_ID);
    expect(entry).toMatchObject({ kind: 'motion-klt', file: 'transform.json', sha256: digest, dims: 70 });
  });

  it('synthesise inverts analyse up to the basis rounding', () => {
    const t = builtinMotionTransform();
    expect(t.dims).toBe(70);
    const d = Float32Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => Math.sin(i) * 0.7);
    const step = 1e-3;
    const out = new Float32Array(DESCRIPTOR_LENGTH);
    t.synthesise(t.quantise(t.analyse(d), step), step, out);
    for (const i of t.indices) expect(Math.abs(out[i]! - d[i]!)).toBeLessThan(5e-3);
    expect(motionTransformById(t.id)).toBe(t);
    expect(() => motionTransformById('000000000000')).toThrow(UnknownModelIdError);
  });

  it('rejects malformed parameter files', () => {
    expect(() => parseMotionTransform('{', 'x')).toThrow(InvalidModelError);
    const j = JSON.parse(BUILTIN_MOTION_TRANSFORM_JSON);
    expect(() => parseMotionTransform(JSON.stringify({ ...j, basis: [1, 2] }), 'x')).toThrow(
      InvalidModelError,
    );
    expect(() => parseMotionTransform(JSON.stringify({ ...j, version: 9 }), 'x')).toThrow(InvalidModelError);
  });
});
