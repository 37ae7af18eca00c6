import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, SemfaceCodec } from '@semface/codec-core';
import { FrameKind } from '@semface/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { StreamPublisher } from './stream-publisher.js';

// The tiny fixture models codec-core's own tests use.
const modelsDir = fileURLToPath(new URL('../../../codec-core/src/models/fixtures/tiny/', import.meta.url));
const descriptor = Float32Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => ((i % 17) - 8) / 8);

describe('StreamPublisher key-frame decisions (fixture codec)', () => {
  let codec: SemfaceCodec;
  beforeAll(async () => {
    codec = await SemfaceCodec.load({ modelsDir });
  });

  async function kinds(pub: StreamPublisher, n: number, between?: (k: number) => void) {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      between?.(k);
      out.push((await pub.encode(codec, descriptor, 'full', false)).kind);
    }
    return out;
  }

  const { key: K, delta: D } = FrameKind;

  it('keys the first frame and every keyFrameInterval-th, numbering frames from 0', async () => {
    const pub = new StreamPublisher(0, 'frame', { rateIndex: 0, coder: 'ppm', keyFrameInterval: 3 });
    expect(await kinds(pub, 7)).toEqual([K, D, D, K, D, D, K]);
    const seqs = [];
    for (let k = 0; k < 2; k++) seqs.push((await pub.encode(codec, descriptor, 'full', false)).seq);
    expect(seqs).toEqual([7, 8]);
  });

  it('with interval 0 keys only the first and requested frames', async () => {
    const pub = new StreamPublisher(1, 'frame', { rateIndex: 0, coder: 'rans', keyFrameInterval: 0 });
    expect(await kinds(pub, 6, (k) => k === 4 && pub.requestKeyFrame())).toEqual([K, D, D, D, K, D]);
    expect(pub.nextIsKey('full', false)).toBe(false);
    expect(pub.nextIsKey('full', true)).toBe(true);
  });

  it('keys the frame after a profile change and reports the model id', async () => {
    const pub = new StreamPublisher(0, 'frame', { rateIndex: 0, coder: 'ppm', keyFrameInterval: 0 });
    await pub.encode(codec, descriptor, 'full', false);
    await pub.encode(codec, descriptor, 'full', false);
    const f = await pub.encode(codec, descriptor, 'expression', false);
    expect(f.kind).toBe(K);
    expect(f.profile).toBe('expression');
    expect(f.modelId).toBe(codec.paramsFor({ profile: 'expression' }).modelId);
  });

  it('sends identity frames, each self-contained', async () => {
    const pub = new StreamPublisher(0, 'identity', { rateIndex: 0, coder: 'ppm', keyFrameInterval: 0 });
    const a = await pub.encode(codec, descriptor, 'identity', false);
    const b = await pub.encode(codec, descriptor, 'identity', false);
    expect([a.kind, b.kind]).toEqual([FrameKind.identity, FrameKind.identity]);
    // Decodable on its own by a fresh decoder.
    const out = await codec.createStreamDecoder().decodeFrame(b.payload);
    expect(out.keyFrame).toBe(true);
  });
});
