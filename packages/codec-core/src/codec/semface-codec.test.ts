import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH, profileIndices } from '../descriptor/layout.js';
import {
  CodecError,
  InvalidDescriptorError,
  InvalidHeaderError,
  InvalidModelError,
  UnknownModelIdError,
} from '../errors.js';
import { SemfaceCodec } from './semface-codec.js';

const modelsDir = fileURLToPath(new URL('../models/fixtures/tiny/', import.meta.url));

/** Multiples of 1/256 in [-3.9, 3.9]: the fixture models (y = 4x) quantise them without rounding error. */
function descriptors(n: number): Float32Array[] {
  return Array.from({ length: n }, (_, k) =>
    Float32Array.from(
      { length: DESCRIPTOR_LENGTH },
      (_, i) => ((((k + 1) * 7919 * (i + 3)) % 2001) - 1000) / 256,
    ),
  );
}

describe('SemfaceCodec with the fixture models', () => {
  let codec: SemfaceCodec;
  beforeAll(async () => {
    codec = await SemfaceCodec.load({ modelsDir, batchSize: 5 });
  });

  it.each(['ppm', 'rans'] as const)(
    'batch round trip (%s) reconstructs quantised fields, zero elsewhere',
    async (coder) => {
      const input = descriptors(12);
      for (const profile of ['full', 'expression', 'identity'] as const) {
        const bytes = await codec.encode(input, { profile, coder });
        const out = await codec.decode(bytes);
        expect(out.params).toMatchObject({ profile, coder, rateIndex: 0, latentDim: 256 });
        expect(out.descriptors).toHaveLength(12);
        const kept = new Set(profileIndices(profile));
        // The fixture keeps the first 256 profile values at step 1/4; the 257th (full only) is dropped.
        const keptLatent = new Set(Array.from(profileIndices(profile)).slice(0, 256));
        out.descriptors.forEach((d, n) => {
          for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
            const want = keptLatent.has(i) ? Math.floor(4 * input[n]![i]! + 0.5) / 4 : 0;
            if (!kept.has(i)) expect(d[i]).toBe(0);
            else expect(d[i]).toBe(want);
          }
        });
      }
    },
  );

  it('accepts one flat N x 257 array', async () => {
    const input = descriptors(3);
    const flat = new Float32Array(3 * DESCRIPTOR_LENGTH);
    input.forEach((d, i) => flat.set(d, i * DESCRIPTOR_LENGTH));
    expect(await codec.encode(flat)).toEqual(await codec.encode(input));
  });

  it('rejects descriptors of the wrong length or with NaN', async () => {
    await expect(codec.encode([new Float32Array(10)])).rejects.toThrow(InvalidDescriptorError);
    const bad = descriptors(1);
    bad[0]![17] = Number.NaN;
    await expect(codec.encode(bad)).rejects.toThrow(InvalidDescriptorError);
    await expect(codec.encode(new Float32Array(258))).rejects.toThrow(InvalidDescriptorError);
  });

  it('rejects a missing rate with RangeError and unknown model ids with UnknownModelIdError', async () => {
    await expect(codec.encode(descriptors(1), { rateIndex: 9 })).rejects.toThrow(RangeError);
    const bytes = await codec.encode(descriptors(1), { coder: 'ppm' });
    bytes[6] ^= 0xff; // model id; CRC fixed below
    const { crc32 } = await import('../bitstream/crc32.js');
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
    await expect(codec.decode(bytes)).rejects.toThrow(UnknownModelIdError);
  });

  it.each(['identity', 'expression'] as const)(
    'a full model carries the %s profile: header names it, values outside it are sent and decoded as 0',
    async (profile) => {
      const input = descriptors(4);
      const bytes = await codec.encode(input, { profile, modelProfile: 'full', coder: 'rans' });
      const out = await codec.decode(bytes);
      const full = codec.paramsFor({ profile: 'full' });
      expect(out.params).toMatchObject({ profile, modelId: full.modelId });
      const kept = new Set(profileIndices(profile));
      out.descriptors.forEach((d, n) => {
        for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
          // The full fixture model drops the 257th value (the last translation coordinate).
          expect(d[i]).toBe(kept.has(i) && i < 256 ? Math.floor(4 * input[n]![i]! + 0.5) / 4 : 0);
        }
      });
      // The model sees zeros outside the carried profile, so the payload is that of zero-filled input.
      const zeroed = input.map((d) => Float32Array.from(d, (v, i) => (kept.has(i) ? v : 0)));
      const zeroFilled = await codec.encode(zeroed, { profile: 'full', coder: 'rans' });
      expect(bytes.subarray(13, bytes.length - 4)).toEqual(zeroFilled.subarray(13, zeroFilled.length - 4));
      const fewer = await codec.encode(input, { profile: 'full', coder: 'rans' });
      expect(bytes.length).toBeLessThan(fewer.length);
    },
  );

  it('streams a partial profile through a full model', async () => {
    const enc = codec.createStreamEncoder({ profile: 'expression', modelProfile: 'full', coder: 'ppm' });
    const dec = codec.createStreamDecoder();
    const kept = new Set(profileIndices('expression'));
    for (const d of descriptors(3)) {
      const out = await dec.decodeFrame((await enc.encodeFrame(d)).packet);
      expect(out.profile).toBe('expression');
      for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
        expect(out.descriptor[i]).toBe(kept.has(i) && i < 256 ? Math.floor(4 * d[i]! + 0.5) / 4 : 0);
      }
    }
  });

  it('rejects a modelProfile that does not cover the profile (RangeError)', async () => {
    await expect(codec.encode(descriptors(1), { profile: 'full', modelProfile: 'identity' })).rejects.toThrow(
      RangeError,
    );
    expect(() => codec.paramsFor({ profile: 'identity', modelProfile: 'expression' })).toThrow(RangeError);
    // @ts-expect-error: a wrong name from untyped callers
    expect(() => codec.paramsFor({ modelProfile: 'mouth' })).toThrow(RangeError);
  });

  it('rejects a header whose profile or latent count disagrees with its model', async () => {
    const { crc32 } = await import('../bitstream/crc32.js');
    const good = await codec.encode(descriptors(2), { coder: 'ppm', profile: 'identity' });
    for (const [offset, value] of [
      [12, 0], // profile byte -> full, which an identity model cannot carry
      [12, 1], // profile byte -> expression, same
      [15, 10], // latent dim low byte -> 10
    ] as const) {
      const bytes = good.slice();
      bytes[offset] = value;
      new DataView(bytes.buffer).setUint32(
        bytes.length - 4,
        crc32(bytes.subarray(0, bytes.length - 4)),
        true,
      );
      await expect(codec.decode(bytes)).rejects.toThrow(InvalidHeaderError);
    }
  });

  it('raises only CodecError for 600 header-level mutations with valid CRCs (model lookup + ONNX path)', async () => {
    const { crc32 } = await import('../bitstream/crc32.js');
    const good = await codec.encode(descriptors(3), { coder: 'rans', profile: 'expression' });
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let failures = 0;
    for (let i = 0; i < 600; i++) {
      const bytes = good.slice();
      bytes[4 + rand(20)] = rand(256); // version .. frame count
      new DataView(bytes.buffer).setUint32(
        bytes.length - 4,
        crc32(bytes.subarray(0, bytes.length - 4)),
        true,
      );
      try {
        await codec.decode(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(CodecError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(500);
  });

  it('streams descriptors frame by frame', async () => {
    const enc = codec.createStreamEncoder({ profile: 'expression', coder: 'ppm', keyFrameInterval: 3 });
    const dec = codec.createStreamDecoder();
    for (const [n, d] of descriptors(5).entries()) {
      const out = await dec.decodeFrame((await enc.encodeFrame(d)).packet);
      expect(out.sequence).toBe(n);
      expect(out.kind).toBe(n % 3 === 0 ? 'key' : 'delta');
      for (const i of profileIndices('expression'))
        expect(out.descriptor[i]).toBe(Math.floor(4 * d[i]! + 0.5) / 4);
    }
  });

  it('fails to load a missing models folder with InvalidModelError', async () => {
    await expect(SemfaceCodec.load({ modelsDir: '/nonexistent/models' })).rejects.toThrow(InvalidModelError);
  });
});
