import { fileURLToPath } from 'node:url';
import { encodeIdentityCode, goldenEmbeddings, loadIdentityCodeModel } from '@semface/codec-core';
import { describe, expect, it } from 'vitest';
import { ReceiverHeads } from './receiver-heads.js';

// Untrained heads (training/heads/fixture.py) + the shipped identity-code model.
const FIXTURE = fileURLToPath(new URL('../../../../test/eval/fixtures/heads/', import.meta.url));
const descriptor = (seed: number) => Float32Array.from({ length: 257 }, (_, i) => Math.sin(seed * 13 + i));

describe('ReceiverHeads with identity codes (issue 13)', () => {
  it('verify() and verificationVector() use decoded codes when both faces carry one', async () => {
    const model = await loadIdentityCodeModel();
    const heads = await ReceiverHeads.load({ modelsDir: FIXTURE });
    expect(heads.identityCodeModel?.id).toBe(model.id);
    const [e1, e2] = goldenEmbeddings(2, model.inputDim, 11);
    const near = e1!.map((v, i) => v + 0.02 * Math.sin(i));
    const code = (e: ArrayLike<number>, r = 3) => encodeIdentityCode(model, e, r);
    const a = { descriptor: descriptor(1), identityCode: code(e1!) };
    const same = await heads.verify(a, { descriptor: descriptor(2), identityCode: code(near) });
    expect(same).toMatchObject({ source: 'identityCode', same: true });
    const other = await heads.verify(a, { descriptor: descriptor(2), identityCode: code(e2!) });
    expect(other.source).toBe('identityCode');
    expect(other.distance).toBeGreaterThan(same.distance);
    expect(other.threshold).toBeCloseTo(1 - model.ratePoints[3]!.cosineThreshold, 12);
    expect((await heads.verificationVector(a)).length).toBe(model.ratePoints[3]!.dims);
    // Different rate points or a face without a code: the descriptor path.
    expect((await heads.verify(a, { descriptor: descriptor(2), identityCode: code(near, 1) })).source).toBe(
      'descriptor',
    );
    expect((await heads.verify(a, descriptor(2))).source).toBe('descriptor');
    await heads.dispose();
  });

  it("identitySource 'descriptor' keeps the descriptor-only path", async () => {
    const heads = await ReceiverHeads.load({ modelsDir: FIXTURE, identitySource: 'descriptor' });
    const model = heads.identityCodeModel!;
    const [e1] = goldenEmbeddings(1, model.inputDim, 12);
    const c = encodeIdentityCode(model, e1!, 0);
    const r = await heads.verify(
      { descriptor: descriptor(1), identityCode: c },
      { descriptor: descriptor(1), identityCode: c },
    );
    expect(r.source).toBe('descriptor');
    expect((await heads.verificationVector({ descriptor: descriptor(1), identityCode: c })).length).toBe(128);
    await expect(heads.verify({ identityCode: c }, { identityCode: c })).rejects.toBeInstanceOf(TypeError);
    await expect(
      ReceiverHeads.load({ modelsDir: FIXTURE, identitySource: 'x' as 'auto' }),
    ).rejects.toBeInstanceOf(RangeError);
    await heads.dispose();
  });
});
