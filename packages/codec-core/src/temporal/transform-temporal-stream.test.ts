import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelIdToBytes } from '../bitstream/model-id.js';
import { crc32 } from '../bitstream/crc32.js';
import { SemfaceCodec } from '../codec/semface-codec.js';
import { DESCRIPTOR_LENGTH, DescriptorField } from '../descriptor/layout.js';
import {
  CodecError,
  CorruptPayloadError,
  CrcMismatchError,
  StreamOrderError,
  UnknownModelIdError,
} from '../errors.js';
import { builtinMotionTransform } from './motion-transform.js';

const modelsDir = fileURLToPath(new URL('../models/fixtures/tiny/', import.meta.url));
const MOTION = ['expression', 'rotation', 'translation'] as const;

/** Talking-head-like: fixed identity; expression/pose move smoothly with a little per-frame jitter. */
function sequence(n: number, seed = 1): Float32Array[] {
  let s = seed;
  const noise = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const base = Float32Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => (((i * 37) % 101) - 50) / 40);
  return Array.from({ length: n }, (_, t) => {
    const d = Float32Array.from(base);
    for (const name of MOTION) {
      const f = DescriptorField[name];
      const a = name === 'expression' ? 0.8 : 0.08;
      for (let i = f.start; i < f.end; i++) d[i] = d[i]! + a * (Math.sin(t / 7 + i) + 0.3 * noise());
    }
    return d;
  });
}

function motionMae(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  let n = 0;
  for (const name of MOTION) {
    const f = DescriptorField[name];
    for (let i = f.start; i < f.end; i++, n++) sum += Math.abs(a[i]! - b[i]!);
  }
  return sum / n;
}

describe('temporal stream, transform per-frame layer', () => {
  let codec: SemfaceCodec;
  beforeAll(async () => {
    codec = await SemfaceCodec.load({ modelsDir });
  });

  it('decoder output equals the encoder reconstruction bit for bit; error follows the step', async () => {
    for (const step of [0.05, 0.5]) {
      const enc = codec.createStreamEncoder({
        coding: 'temporal',
        motionLayer: 'transform',
        targetBitrate: 0,
        motionStep: step,
        deadZone: 0,
        frameRate: 10,
        keyFrameIntervalSeconds: 2,
      });
      const dec = codec.createStreamDecoder('temporal');
      let mae = 0;
      const input = sequence(45);
      for (const d of input) {
        const f = await enc.encodeFrame(d);
        expect(f.motionStep).toBeCloseTo(step, 10);
        const out = await dec.decodeFrame(f.packet);
        expect(out.modelId).toBe(builtinMotionTransform().id);
        expect(out.descriptor).toEqual(await enc.reconstruct(f));
        mae += motionMae(out.descriptor, d) / input.length;
      }
      // Uniform rounding of an orthonormal transform: error ~ step / sqrt(12) per coefficient.
      expect(mae).toBeLessThan(step * 0.35);
      expect(mae).toBeGreaterThan(step * 0.05);
    }
  });

  it('rate control brings a generated sequence to the target', async () => {
    const input = sequence(300, 7);
    for (const target of [2000, 4000]) {
      const enc = codec.createStreamEncoder({
        coding: 'temporal',
        motionLayer: 'transform',
        targetBitrate: target,
        frameRate: 25,
      });
      const dec = codec.createStreamDecoder('temporal');
      let bits = 0;
      let late = 0;
      for (const [t, d] of input.entries()) {
        const f = await enc.encodeFrame(d);
        await dec.decodeFrame(f.packet);
        bits += f.packet.length * 8;
        if (t >= 100) late += f.packet.length * 8;
      }
      const rate = (bits / input.length) * 25;
      const settled = (late / (input.length - 100)) * 25;
      expect(rate).toBeLessThan(target * 1.15);
      expect(settled).toBeGreaterThan(target * 0.8);
      expect(settled).toBeLessThan(target * 1.1);
    }
  });

  it('corrupt packets raise typed errors and leave the decoder waiting for a key frame', async () => {
    const enc = codec.createStreamEncoder({ coding: 'temporal', motionLayer: 'transform', targetBitrate: 0 });
    const input = sequence(3);
    const key = (await enc.encodeFrame(input[0]!)).packet;
    const delta = (await enc.encodeFrame(input[1]!)).packet;
    // Flipped bit in a key packet: CRC.
    const flipped = Uint8Array.from(key);
    flipped[20] = flipped[20]! ^ 0x10;
    await expect(codec.createStreamDecoder('temporal').decodeFrame(flipped)).rejects.toThrow(
      CrcMismatchError,
    );
    // A key packet naming a transform this build does not know (valid CRC).
    const unknown = Uint8Array.from(key);
    unknown.set(modelIdToBytes('000000000000'), 2);
    const end = unknown.length - 4;
    new DataView(unknown.buffer).setUint32(end, crc32(unknown.subarray(0, end)), true);
    const d1 = codec.createStreamDecoder('temporal');
    await expect(d1.decodeFrame(unknown)).rejects.toThrow(UnknownModelIdError);
    expect(d1.needsKeyFrame).toBe(true);
    // A delta whose residual code never ends (Exp-Golomb prefix of ones).
    const d2 = codec.createStreamDecoder('temporal');
    await d2.decodeFrame(key);
    const garbage = new Uint8Array(64).fill(0xff);
    garbage[0] = delta[0]!;
    const err = await d2.decodeFrame(garbage).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect(err).toBeInstanceOf(CorruptPayloadError);
    expect((err as CodecError).code).toBe('SEMFACE_ERR_CORRUPT_PAYLOAD');
    expect(d2.needsKeyFrame).toBe(true);
    await expect(d2.decodeFrame(delta)).rejects.toThrow(StreamOrderError);
  });

  it('taskLabel: frames keep the label of the input more often, decoder still matches the encoder', async () => {
    // A stand-in receiver head: which side of the sequence's mean a projection of the expression is on
    // (crossed every few frames, so coarse coding flips it).
    const expr = DescriptorField.expression;
    const input = sequence(150, 3);
    const mean = (i: number) => input.reduce((a, d) => a + d[i]!, 0) / input.length;
    const centre = Array.from({ length: expr.end - expr.start }, (_, k) => mean(expr.start + k));
    const label = (d: Float32Array): boolean => {
      let s = 0;
      for (let k = 0; k < centre.length; k++) s += (d[expr.start + k]! - centre[k]!) * Math.sin(k + 1);
      return s > 0;
    };
    const seen: Float32Array[] = [];
    const run = async (guard: boolean) => {
      const enc = codec.createStreamEncoder({
        coding: 'temporal',
        motionLayer: 'transform',
        targetBitrate: 120,
        frameRate: 10,
        keyFrameIntervalSeconds: 5,
        ...(guard
          ? {
              taskLabel: async (d: Float32Array) => {
                seen.push(d);
                return label(d);
              },
            }
          : {}),
      });
      const dec = codec.createStreamDecoder('temporal');
      let agree = 0;
      let bits = 0;
      for (const d of input) {
        const f = await enc.encodeFrame(d);
        const out = (await dec.decodeFrame(f.packet)).descriptor;
        expect(out).toEqual(await enc.reconstruct(f));
        if (label(out) === label(d)) agree++;
        bits += f.packet.length * 8;
      }
      return { agree: agree / input.length, bits };
    };
    const plain = await run(false);
    const guarded = await run(true);
    expect(plain.agree).toBeLessThan(0.95);
    expect(guarded.agree).toBeGreaterThan(plain.agree);
    // Candidates carry the input's identity fields; only the per-frame fields differ.
    const shape = DescriptorField.identity;
    expect(seen.length).toBeGreaterThan(input.length - 1);
    expect(
      seen.every((d) =>
        input.some((x) => x[shape.start] === d[shape.start] && x[shape.end - 1] === d[shape.end - 1]),
      ),
    ).toBe(true);
  });

  it('taskLabel: a function, and only with the transform layer', () => {
    expect(() =>
      codec.createStreamEncoder({ coding: 'temporal', motionLayer: 'transform', taskLabel: 1 as never }),
    ).toThrow(TypeError);
    expect(() =>
      codec.createStreamEncoder({ coding: 'temporal', motionLayer: 'latent', taskLabel: () => 0 }),
    ).toThrow(RangeError);
  });
});
