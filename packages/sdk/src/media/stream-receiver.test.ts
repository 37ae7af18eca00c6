import { FrameKind, type semface } from '@semface/protocol';
import { describe, expect, it } from 'vitest';
import { StreamReceiver } from './stream-receiver.js';

const MAX = 4;

function frame(seq: number, kind: number): semface.v1.Frame {
  return {
    participantId: 'p',
    stream: 0,
    seq,
    kind,
    modelId: 'm',
    payload: Uint8Array.of(seq & 0xff),
  } as never;
}

/** Receiver hooks whose decoder holds every frame until `release()`; records decoded seqs. */
function harness() {
  const decoded: number[] = [];
  const keyRequests: number[] = [];
  let open: () => void = () => {};
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const hooks = {
    ready: () => Promise.resolve(),
    decoded: () => {},
    failed: () => {},
    requestKeyFrame: () => keyRequests.push(decoded.length),
    createDecoder: async () => ({
      needsKeyFrame: false,
      reportLoss() {},
      decodeFrame: async (payload: Uint8Array) => {
        decoded.push(payload[0]!);
        await gate;
        const descriptor = new Float32Array(257);
        return { kind: 'key', sequence: 0, modelId: 'm', profile: 'full', descriptor } as const;
      },
    }),
  };
  return { decoded, keyRequests, release: () => open(), hooks };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('receivers bound their backlog for every frame kind', () => {
  it('intra: a flood of key frames keeps only the newest; deltas beyond the limit are shed', async () => {
    const h = harness();
    const r = new StreamReceiver('intra', h.hooks, MAX, 0);
    for (let seq = 0; seq < 200; seq++) r.push(frame(seq, FrameKind.key));
    for (let seq = 200; seq < 210; seq++) r.push(frame(seq, FrameKind.delta));
    await settle();
    h.release();
    await settle();
    // Frame 0 was decoding; each key that found the backlog full replaced it (the last such was 197),
    // the next deltas filled it up and the rest were shed.
    expect(h.decoded).toEqual([0, 197, 198, 199, 200]);
    expect(h.keyRequests.length).toBeGreaterThan(0);
  });

  it('intra identity lane: the newest identity frame replaces the waiting ones', async () => {
    const h = harness();
    const r = new StreamReceiver('intra', h.hooks, MAX, 0);
    for (let seq = 0; seq < 100; seq++) r.push(frame(seq, FrameKind.identity));
    await settle();
    h.release();
    await settle();
    expect(h.decoded).toEqual([0, 97, 98, 99]);
  });

  it('temporal: key packets replace the backlog, identity and delta packets beyond it are shed', async () => {
    const h = harness();
    const r = new StreamReceiver('temporal', h.hooks, MAX, 0);
    r.push(frame(0, FrameKind.key));
    for (let seq = 1; seq < 100; seq++) r.push(frame(seq, FrameKind.identity));
    for (let seq = 100; seq < 150; seq++) r.push(frame(seq, FrameKind.key));
    r.push(frame(150, FrameKind.delta));
    await settle();
    h.release();
    await settle();
    // Identity packets 5..99 were shed (the gap asks for a key frame); keys replaced the full backlog.
    expect(h.decoded).toEqual([0, 148, 149, 150]);
  });
});
