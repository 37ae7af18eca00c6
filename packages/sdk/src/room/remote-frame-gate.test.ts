import { FrameKind, type semface } from '@semface/protocol';
import { describe, expect, it } from 'vitest';
import { RemoteLimitError } from '../errors.js';
import { RemoteFrameGate } from './remote-frame-gate.js';

const limits = { maxRemoteStreams: 3, maxRemoteStreamsTotal: 5, maxRemoteFrameBytes: 100 };

function frame(participantId: string, stream: number, extra: Partial<semface.v1.Frame> = {}) {
  return {
    participantId,
    stream,
    kind: FrameKind.key,
    modelId: 'aaaaaaaaaaaa',
    payload: new Uint8Array(20),
    ...extra,
  } as semface.v1.Frame;
}

function gate() {
  const reported: RemoteLimitError[] = [];
  return { g: new RemoteFrameGate(limits, (e) => reported.push(e)), reported };
}

describe('RemoteFrameGate', () => {
  it('admits at most maxRemoteStreams streams per participant, reporting once', () => {
    const { g, reported } = gate();
    const admitted = Array.from({ length: 256 }, (_, s) => g.admit(frame('p', s)));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    for (let k = 0; k < 10; k++) expect(g.admit(frame('p', 1))).toBe(true);
    expect(g.admit(frame('p', 200))).toBe(false);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(RemoteLimitError);
    expect(reported[0]).toMatchObject({
      code: 'SEMFACE_ERR_SDK_REMOTE_LIMIT',
      participantId: 'p',
      stream: 3,
      limit: 'maxRemoteStreams',
    });
  });

  it('caps the room total and frees a participant slot when it leaves', () => {
    const { g, reported } = gate();
    for (const s of [0, 1, 2]) expect(g.admit(frame('a', s))).toBe(true);
    for (const s of [0, 1]) expect(g.admit(frame('b', s))).toBe(true);
    expect(g.admit(frame('c', 0))).toBe(false);
    expect(g.streams).toBe(5);
    expect(reported.map((e) => [e.participantId, e.limit])).toEqual([['c', 'maxRemoteStreamsTotal']]);
    g.forget('a');
    expect(g.streams).toBe(2);
    expect(g.admit(frame('c', 0))).toBe(true);
    // A participant that comes back is reported again.
    for (const s of [0, 1, 2, 3]) g.admit(frame('a', s));
    expect(reported.at(-1)).toMatchObject({ participantId: 'a', limit: 'maxRemoteStreamsTotal' });
  });

  it('drops frames beyond the wire limits before they count as streams', () => {
    const { g, reported } = gate();
    expect(g.admit(frame('p', 0, { payload: new Uint8Array(101) }))).toBe(false);
    expect(g.admit(frame('p', 0, { modelId: 'x'.repeat(65) }))).toBe(false);
    expect(g.admit(frame('p', 256))).toBe(false);
    expect(g.admit(frame('p', 0, { payload: new Uint8Array(100) }))).toBe(true);
    expect(reported.map((e) => e.limit)).toEqual(['maxRemoteFrameBytes', 'maxModelIdLength', 'maxStreamId']);
    expect(g.streams).toBe(1);
    g.clear();
    expect(g.streams).toBe(0);
  });
});
