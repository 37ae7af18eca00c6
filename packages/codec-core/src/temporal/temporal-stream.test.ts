import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SemfaceCodec } from '../codec/semface-codec.js';
import { DESCRIPTOR_LENGTH, DescriptorField } from '../descriptor/layout.js';
import { InvalidDescriptorError, StreamOrderError } from '../errors.js';

const modelsDir = fileURLToPath(new URL('../models/fixtures/tiny/', import.meta.url));

/** A talking-head-like sequence: fixed identity, expression/pose moving smoothly. */
function sequence(n: number): Float32Array[] {
  const base = Float32Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => (((i * 37) % 101) - 50) / 40);
  return Array.from({ length: n }, (_, t) => {
    const d = Float32Array.from(base);
    for (const f of [DescriptorField.expression, DescriptorField.rotation, DescriptorField.translation]) {
      for (let i = f.start; i < f.end; i++) d[i] = d[i]! + 0.6 * Math.sin(t / 6 + i);
    }
    if (t >= 30) for (let i = 0; i < 80; i++) d[i] = d[i]! + 1.5; // a different face
    return d;
  });
}

describe('temporal descriptor stream (fixture models)', () => {
  let codec: SemfaceCodec;
  beforeAll(async () => {
    codec = await SemfaceCodec.load({ modelsDir });
  });

  it('decoder output equals the encoder reconstruction bit for bit; identity re-sent on change', async () => {
    const enc = codec.createStreamEncoder({
      coding: 'temporal',
      motionLayer: 'latent',
      frameRate: 10,
      keyFrameIntervalSeconds: 2,
      deadZone: 0,
      targetBitrate: 0,
      identitySmoothing: 1,
    });
    const dec = codec.createStreamDecoder('temporal');
    const input = sequence(45);
    const kinds: string[] = [];
    for (const [t, d] of input.entries()) {
      const f = await enc.encodeFrame(d);
      kinds.push(f.kind);
      const out = await dec.decodeFrame(f.packet);
      expect(out.descriptor).toEqual(await enc.reconstruct(f));
      // Fixture models quantise with step 1/4: motion fields within 1/8, lighting within step/2.
      for (const name of ['expression', 'rotation', 'translation', 'identity'] as const) {
        const r = DescriptorField[name];
        for (let i = r.start; i < r.end; i++) {
          expect([t, i, Math.abs(out.descriptor[i]! - d[i]!) <= 0.125 + 1e-6]).toEqual([t, i, true]);
        }
      }
      expect(Math.abs(out.descriptor[230]! - d[230]!)).toBeLessThanOrEqual(0.01 + 1e-6);
    }
    expect(kinds.filter((k) => k === 'key').length).toBe(3); // frames 0, 20, 40
    expect(kinds[30]).toBe('identity');
  });

  // Both per-frame layers (the transform layer with its rate control on) share the loss rule.
  it.each([
    ['latent', { motionLayer: 'latent', keyFrameIntervalSeconds: 0, targetBitrate: 0 }],
    ['transform', { motionLayer: 'transform', keyFrameIntervalSeconds: 0 }],
  ] as const)(
    '%s layer: a dropped delta makes the decoder wait for a key frame, after which it matches the encoder',
    async (_layer, options) => {
      const enc = codec.createStreamEncoder({ coding: 'temporal', ...options });
      const dec = codec.createStreamDecoder('temporal');
      const input = sequence(20);
      for (let t = 0; t < 20; t++) {
        if (t === 12) enc.requestKeyFrame();
        const f = await enc.encodeFrame(input[t]!);
        if (t === 5) continue; // lost
        if (t > 5 && t < 12) {
          expect(f.kind).not.toBe('key');
          await expect(dec.decodeFrame(f.packet)).rejects.toThrow(StreamOrderError);
          expect(dec.needsKeyFrame).toBe(true);
          continue;
        }
        const out = await dec.decodeFrame(f.packet);
        if (t === 12) expect(out.kind).toBe('key');
        expect(out.descriptor).toEqual(await enc.reconstruct(f));
      }
    },
  );

  it('validates options and descriptors', async () => {
    expect(() => codec.createStreamEncoder({ coding: 'temporal', frameRate: 0 })).toThrow(RangeError);
    expect(() => codec.createStreamEncoder({ coding: 'temporal', deadZone: 1.5 })).toThrow(TypeError);
    expect(() =>
      codec.createStreamEncoder({ coding: 'temporal', motionLayer: 'latent', rateIndex: 7 }),
    ).toThrow(RangeError);
    expect(() => codec.createStreamEncoder({ coding: 'temporal', motionStep: 0 })).toThrow(RangeError);
    expect(() => codec.createStreamEncoder({ coding: 'temporal', motionLayer: 'pca' as 'latent' })).toThrow(
      TypeError,
    );
    expect(() => codec.createStreamEncoder({ coding: 'temporal', deadZone: 3, maxDeadZone: 2 })).toThrow(
      RangeError,
    );
    expect(() => codec.createStreamEncoder({ coding: 'temporal', identitySmoothing: 0 })).toThrow(RangeError);
    await expect(
      codec.createStreamEncoder({ coding: 'temporal' }).encodeFrame(new Float32Array(3)),
    ).rejects.toThrow(InvalidDescriptorError);
  });
});
