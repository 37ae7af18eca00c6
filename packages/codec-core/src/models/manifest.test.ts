import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '../errors.js';
import { parseManifest } from './manifest.js';

const entry = {
  id: '0123456789ab',
  profile: 'expression',
  rateIndex: 1,
  lambdaR: 0.01,
  latentDim: 256,
  inputDim: 70,
  files: { analysis: 'analysis.onnx', synthesis: 'synthesis.onnx', cdf: 'cdf.json' },
  sha256: {},
  training: {},
  metrics: {},
};

describe('parseManifest', () => {
  it('accepts the training export format', () => {
    const m = parseManifest({ version: 1, models: [entry] });
    expect(m.models[0]).toMatchObject({ id: entry.id, profile: 'expression', rateIndex: 1, latentDim: 256 });
  });

  it.each([
    ['bad id', { id: 'XYZ' }],
    ['unknown profile', { profile: 'mouth' }],
    ['inputDim of another profile', { inputDim: 257 }],
    ['path in a file name', { files: { ...entry.files, cdf: '../cdf.json' } }],
    ['rate out of range', { rateIndex: 300 }],
  ])('rejects %s', (_, patch) => {
    expect(() => parseManifest({ models: [{ ...entry, ...patch }] })).toThrow(InvalidModelError);
  });

  it('rejects duplicate ids and a missing models array', () => {
    expect(() => parseManifest({ models: [entry, entry] })).toThrow(InvalidModelError);
    expect(() => parseManifest({})).toThrow(InvalidModelError);
  });
});
