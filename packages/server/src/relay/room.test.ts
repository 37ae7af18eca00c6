import { FrameKind } from '@semface/protocol';
import { describe, expect, it } from 'vitest';
import { Room } from './room.js';

const limits = { maxFramesPerPublisher: 4, maxBytes: 10_000, maxFrameBytes: 2_000 };
const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('Room replay cache', () => {
  it('keeps at most maxFramesPerPublisher entries per publisher, evicting its own oldest', () => {
    const r = new Room('r', limits);
    for (let s = 0; s < 256; s++) r.remember('hostile', s, FrameKind.key, bytes(100, s));
    r.remember('healthy', 0, FrameKind.key, bytes(100, 7));
    expect(r.cached('hostile')).toHaveLength(4);
    // The newest four survive: a publisher's flood evicts only its own frames.
    expect(r.cached('hostile').map((b) => b[0])).toEqual([252, 253, 254, 255]);
    expect(r.cached('healthy')).toHaveLength(1);
  });

  it('bounds the room bytes, taking from the publisher that holds the most', () => {
    const r = new Room('r', { ...limits, maxFramesPerPublisher: 1000 });
    r.remember('healthy', 0, FrameKind.identity, bytes(1_000));
    for (let s = 0; s < 100; s++) r.remember('hostile', s, FrameKind.key, bytes(1_900));
    expect(r.cachedBytes).toBeLessThanOrEqual(10_000);
    expect(r.cached('healthy')).toHaveLength(1);
  });

  it('does not cache frames above maxFrameBytes and replaces a stream kind in place', () => {
    const r = new Room('r', limits);
    expect(r.remember('p', 0, FrameKind.key, bytes(2_001))).toBe(false);
    expect(r.cached()).toHaveLength(0);
    r.remember('p', 0, FrameKind.key, bytes(10, 1));
    r.remember('p', 0, FrameKind.key, bytes(20, 2));
    expect(r.cached()).toEqual([bytes(20, 2)]);
    expect(r.cachedBytes).toBe(20);
    r.forget('p');
    expect(r.cachedBytes).toBe(0);
  });

  it('replays identity and identity-code frames first, and leaves biometric ones out on request', () => {
    const r = new Room('r', limits);
    r.remember('p', 0, FrameKind.key, bytes(1, 1));
    r.remember('p', 0, FrameKind.identityCode, bytes(1, 4));
    r.remember('p', 0, FrameKind.identity, bytes(1, 3));
    expect(r.cached().map((b) => b[0])).toEqual([4, 3, 1]);
    expect(r.cached(undefined, false).map((b) => b[0])).toEqual([3, 1]);
  });

  it('coalesces key-frame requests per publisher stream within the interval', () => {
    const r = new Room('r', limits);
    expect(r.admitKeyFrameRequest('p', 0, 200, 1_000)).toBe(true);
    expect(r.admitKeyFrameRequest('p', 0, 200, 1_100)).toBe(false);
    expect(r.admitKeyFrameRequest('p', 1, 200, 1_100)).toBe(true);
    expect(r.admitKeyFrameRequest('p', 0, 200, 1_200)).toBe(true);
  });
});
