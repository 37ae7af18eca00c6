import { pb } from '@semface/protocol';
import { describe, expect, it } from 'vitest';
import { packSnapshot } from './snapshot.js';

describe('packSnapshot', () => {
  const peers = Array.from({ length: 50 }, (_, i) => ({
    participantId: `n-${i}`,
    identity: `user-${i}`,
    canPublish: true,
  }));
  const frames = Array.from({ length: 20 }, () => new Uint8Array(900));

  it('keeps every part within the budget, peers first, nothing lost', () => {
    const parts = packSnapshot(peers, frames, 4_000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      const bytes = pb.BusMessage.Snapshot.encode({ ...p, part: 0, parts: parts.length }).finish().length;
      expect(bytes).toBeLessThanOrEqual(4_000 + 8);
    }
    expect(parts.flatMap((p) => p.peers)).toEqual(peers);
    expect(parts.flatMap((p) => p.frames)).toHaveLength(frames.length);
    const firstFrame = parts.findIndex((p) => p.frames.length > 0);
    expect(parts.slice(firstFrame + 1).every((p) => p.peers.length === 0)).toBe(true);
  });

  it('answers "no peers" with one empty part; an oversized item gets a part of its own', () => {
    expect(packSnapshot([], [], 100)).toEqual([{ peers: [], frames: [] }]);
    const parts = packSnapshot([], [new Uint8Array(10), new Uint8Array(500), new Uint8Array(10)], 100);
    expect(parts.map((p) => p.frames.map((f) => f.length))).toEqual([[10], [500], [10]]);
  });
});
