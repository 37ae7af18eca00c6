import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '../errors.js';
import { type ModelFailure, ModelRuntime, type OnnxRuntime, fetchModelSource } from './model-runtime.js';
import { webCryptoSha256 } from './sha256.js';

const files: Record<string, Uint8Array> = { 'a.onnx': Uint8Array.of(1, 2, 3) };
const fakeFetch = (async (url: string) => {
  const bytes = files[url.slice('https://m/'.length)];
  return bytes ? new Response(bytes) : new Response(null, { status: 404 });
}) as typeof fetch;

/** A runtime whose sessions double their input; counts the sessions it creates. */
function fakeRuntime(created: Uint8Array[]): OnnxRuntime {
  class Tensor {
    constructor(
      readonly type: string,
      readonly data: Float32Array,
      readonly dims: readonly number[],
    ) {}
  }
  const session = {
    inputNames: ['x'],
    outputNames: ['y'],
    run: async (feeds: Record<string, Tensor>) => ({ y: { data: feeds.x!.data.map((v) => 2 * v) } }),
    release: async () => {},
  };
  return {
    InferenceSession: {
      create: async (bytes: Uint8Array) => {
        if (bytes.length === 0) throw new Error('not a model');
        created.push(bytes);
        return session as never;
      },
    },
    Tensor: Tensor as never,
  };
}

describe('ModelRuntime', () => {
  it('creates each session once, checks sha256 and runs float32 graphs', async () => {
    const created: Uint8Array[] = [];
    const rt = new ModelRuntime(fetchModelSource('https://m', fakeFetch), async () => fakeRuntime(created));
    const sha = await webCryptoSha256(files['a.onnx']!);
    const [s1, s2] = await Promise.all([rt.session('a.onnx', sha), rt.session('a.onnx', sha)]);
    expect(s1).toBe(s2);
    expect(created.length).toBe(1);
    expect(await rt.run(s1, Float32Array.of(1, 2), [1, 2])).toEqual(Float32Array.of(2, 4));
    await rt.dispose();
    await rt.session('a.onnx');
    expect(created.length).toBe(2);
  });

  it('reports read, sha256 and load failures through the error option (default InvalidModelError)', async () => {
    const source = fetchModelSource('https://m/', fakeFetch);
    const rt = new ModelRuntime(source, async () => fakeRuntime([]));
    await expect(rt.session('missing.onnx')).rejects.toBeInstanceOf(InvalidModelError);
    await expect(rt.read('a.onnx', '00')).rejects.toThrow('https://m/a.onnx does not match its sha256');
    const seen: [ModelFailure, string][] = [];
    const mapped = new ModelRuntime(source, async () => fakeRuntime([]), {
      error: (failure, where) => {
        seen.push([failure, where]);
        return new RangeError(failure);
      },
    });
    await expect(mapped.session('missing.onnx')).rejects.toBeInstanceOf(RangeError);
    await expect(mapped.read('a.onnx', '00')).rejects.toBeInstanceOf(RangeError);
    await expect(mapped.create(new Uint8Array(0), 'empty.onnx')).rejects.toBeInstanceOf(RangeError);
    expect(seen).toEqual([
      ['read', 'https://m/missing.onnx'],
      ['sha256', 'https://m/a.onnx'],
      ['load', 'https://m/empty.onnx'],
    ]);
  });
});
