import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, SemfaceCodec, profileIndices } from '@semface/codec-core';
import { FrameKind } from '@semface/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PublisherSettings, StreamPublisher, TEMPORAL_MODEL_ID_PREFIX } from './stream-publisher.js';

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

  /** Temporal-coding publisher settings at 10 frame/s. */
  const temporal = (extra: Partial<PublisherSettings>): PublisherSettings => ({
    rateIndex: 0,
    coder: 'rans',
    keyFrameInterval: 0,
    coding: 'temporal',
    frameRate: 10,
    ...extra,
  });

  it('keys the first frame and every keyFrameInterval-th, numbering frames from 0', async () => {
    const pub = new StreamPublisher(0, 'frame', {
      rateIndex: 0,
      coder: 'ppm',
      keyFrameInterval: 3,
      coding: 'intra',
    });
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
    expect(out.kind).toBe('key');
  });

  it.each(['expression', 'identity'] as const)(
    'partialProfileModel full sends the %s profile through the full model',
    async (profile) => {
      const lane = profile === 'identity' ? 'identity' : 'frame';
      const settings = { rateIndex: 0, coder: 'rans', keyFrameInterval: 0 } as const;
      const viaFull = new StreamPublisher(0, lane, { ...settings, partialProfileModel: 'full' });
      const own = new StreamPublisher(0, lane, settings);
      const f = await viaFull.encode(codec, descriptor, profile, false);
      expect([f.profile, f.modelId]).toEqual([profile, codec.paramsFor({ profile: 'full' }).modelId]);
      expect((await own.encode(codec, descriptor, profile, false)).modelId).toBe(
        codec.paramsFor({ profile }).modelId,
      );
      const out = await codec.createStreamDecoder().decodeFrame(f.payload);
      expect(out.profile).toBe(profile);
      const kept = new Set(profileIndices(profile));
      // Fields outside the profile are neither sent nor decoded; the fixture's full model drops value 256.
      for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
        expect(out.descriptor[i]).toBe(kept.has(i) && i < 256 ? Math.floor(4 * descriptor[i]! + 0.5) / 4 : 0);
      }
      // The full profile itself is unaffected by the option.
      const full = await viaFull.encode(codec, descriptor, 'full', false);
      expect(full.modelId).toBe(codec.paramsFor({ profile: 'full' }).modelId);
    },
  );

  it('temporal coding: key first, identity-layer updates as IDENTITY frames, prefixed model ids', async () => {
    const pub = new StreamPublisher(0, 'frame', temporal({ keyFrameIntervalSeconds: 0, targetKbps: 2 }));
    const out = [];
    for (let t = 0; t < 30; t++) {
      const d = Float32Array.from(descriptor);
      for (let i = 80; i < 144; i++) d[i] = d[i]! + 0.5 * Math.sin(t / 5 + i);
      if (t >= 10) for (let i = 0; i < 80; i++) d[i] = d[i]! + 3; // another face
      out.push(await pub.encode(codec, d, 'full', false));
    }
    expect(out[0]!.kind).toBe(K);
    expect(out.every((f) => f.coding === 'temporal' && f.modelId.startsWith(TEMPORAL_MODEL_ID_PREFIX))).toBe(
      true,
    );
    expect(out.slice(1).some((f) => f.kind === FrameKind.identity)).toBe(true);
    expect(out.slice(1).every((f) => f.kind !== K)).toBe(true);
    expect(out.map((f) => f.seq)).toEqual([...out.keys()]);
    pub.requestKeyFrame();
    expect((await pub.encode(codec, descriptor, 'full', false)).kind).toBe(K);
    // Other profiles stay intra on a temporal publisher.
    const e = await pub.encode(codec, descriptor, 'expression', false);
    expect([e.kind, e.coding, e.modelId]).toEqual([
      K,
      'intra',
      codec.paramsFor({ profile: 'expression' }).modelId,
    ]);
  });

  it('temporal coding with a task label: the encoder asks it and codes the transform layer', async () => {
    const asked: Float32Array[] = [];
    const pub = new StreamPublisher(
      0,
      'frame',
      temporal({
        targetKbps: 1,
        motionLayer: 'auto',
        taskLabel: (d) => {
          asked.push(d);
          return d[80]! > 0;
        },
      }),
    );
    const out = [];
    for (let t = 0; t < 5; t++) {
      const d = Float32Array.from(descriptor);
      d[80] = Math.sin(t);
      out.push(await pub.encode(codec, d, 'full', false));
    }
    // Every delta frame asks for the input's label (and at least one candidate's).
    expect(asked.length).toBeGreaterThanOrEqual(8);
    const transformId = codec.createStreamEncoder({ coding: 'temporal', motionLayer: 'transform' });
    const first = await transformId.encodeFrame(descriptor);
    expect(out[0]!.modelId).toBe(`${TEMPORAL_MODEL_ID_PREFIX}${first.modelId}`);
  });
});
