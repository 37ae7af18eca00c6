// Finding 5: the relay's key/identity replay cache is capped (per publisher, per room). Hoarding
// publishers sending key and identity frames on all 256 streams must not grow the relay's memory
// beyond a bound, and a late joiner still gets a healthy publisher's latest identity and key frame.
// The relay runs in a child process so its memory is its own (measured after gc).
import { FrameKind } from '@semface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildRelay, HostileSocket, MiB, mib, retained, startChildRelay } from './harness/index.js';

/**
 * Bound on the relay's retained memory (JS heap + ArrayBuffers, after gc) growth while 3 hoarders in
 * 3 rooms each push 256 streams x 2 kinds x 60 KiB (90 MiB in all; the uncapped cache kept all of it).
 */
const MAX_RETAINED_GROWTH = 16 * MiB;
/** Bound on RSS growth over the same run (RSS also holds freed-but-kept allocator pages). */
const MAX_RSS_GROWTH = 64 * MiB;
/** Cached frames a late joiner may be sent from one hoarding publisher (default cap: 16). */
const MAX_REPLAY_FROM_HOARDER = 32;

describe('replay cache bounds', () => {
  let relay: ChildRelay;

  beforeAll(async () => {
    // Rate limits opened wide so the hoarders push their whole load in seconds; caches at defaults.
    relay = await startChildRelay({
      rateLimitMessagesPerSecond: 100_000,
      rateLimitBurstMessages: 100_000,
      rateLimitBytesPerSecond: 512 * MiB,
      rateLimitBurstBytes: 512 * MiB,
    });
  });
  afterAll(async () => {
    await relay.close();
  });

  /** A publisher-only client that sends key + identity frames of `size` bytes on every stream. */
  async function hoard(room: string, identity: string, size: number): Promise<HostileSocket> {
    const s = await HostileSocket.joined(
      relay.url,
      await relay.token(identity, room, { canSubscribe: false }),
      room,
    );
    const payload = new Uint8Array(size).fill(0x5a);
    let seq = 0;
    for (let stream = 0; stream < 256; stream++) {
      for (const kind of [FrameKind.identity, FrameKind.key]) {
        s.send({ frame: { stream, seq: seq++, kind, profile: 0, modelId: 'hoard', payload } });
      }
      await s.drained(1024 * 1024);
    }
    expect(await s.roundTrip(20_000), `${identity}: relay did not answer after the hoard`).toBe(true);
    return s;
  }

  /** A healthy publisher's identity + key frames (seq 1 and 2 are the latest). */
  async function healthyPublisher(room: string): Promise<HostileSocket> {
    const p = await HostileSocket.joined(
      relay.url,
      await relay.token(`healthy-${room}`, room, { canSubscribe: false }),
      room,
    );
    p.send({
      frame: { stream: 0, seq: 0, kind: FrameKind.identity, modelId: 'ok', payload: Uint8Array.of(1) },
    });
    p.send({
      frame: { stream: 0, seq: 1, kind: FrameKind.identity, modelId: 'ok', payload: Uint8Array.of(2) },
    });
    p.send({
      frame: { stream: 0, seq: 2, kind: FrameKind.key, modelId: 'ok', payload: new Uint8Array(200) },
    });
    expect(await p.roundTrip()).toBe(true);
    return p;
  }

  /** Joins as a subscriber and returns what the replay brought (frames by publisher). */
  async function lateJoin(room: string, healthy: HostileSocket, hoarders: HostileSocket[]) {
    const late = await HostileSocket.joined(relay.url, await relay.token(`late-${room}`, room), room);
    await late.until(
      () =>
        late
          .all('frame')
          .some((e) => e.frame!.participantId === healthy.participantId && e.frame!.kind === FrameKind.key),
      10_000,
    );
    await late.roundTrip(10_000);
    const frames = late.all('frame').map((e) => e.frame!);
    const fromHealthy = frames.filter((f) => f.participantId === healthy.participantId);
    const ids = new Set(hoarders.map((h) => h.participantId));
    const fromHoarders = frames.filter((f) => ids.has(f.participantId));
    return { late, fromHealthy, fromHoarders };
  }

  it('keeps relay memory bounded against 60 KiB key/identity frames on 256 streams x 3 rooms', async () => {
    const before = await relay.memory();
    const held: HostileSocket[] = [];
    for (let r = 0; r < 3; r++) {
      const room = `hoard${r}`;
      const healthy = await healthyPublisher(room);
      const hoarder = await hoard(room, `hoarder${r}`, 60 * 1024);
      held.push(healthy, hoarder);
      const { late, fromHealthy, fromHoarders } = await lateJoin(room, healthy, [hoarder]);
      // The late joiner survives the replay (the uncapped cache overflowed its queue: 4009) ...
      expect(late.closedWith, `late joiner closed: ${JSON.stringify(late.closedWith)}`).toBeUndefined();
      // ... and gets the healthy publisher's latest identity and key frame.
      expect(fromHealthy.map((f) => [f.kind, Number(f.seq)])).toEqual([
        [FrameKind.identity, 1],
        [FrameKind.key, 2],
      ]);
      expect(fromHoarders.length).toBeLessThanOrEqual(MAX_REPLAY_FROM_HOARDER);
      held.push(late);
    }
    const after = await relay.memory();
    expect(relay.alive()).toBe(true);
    const growth = retained(after) - retained(before);
    const rss = after.rss - before.rss;
    expect(growth, `retained grew ${mib(growth)}, RSS ${mib(rss)}`).toBeLessThanOrEqual(MAX_RETAINED_GROWTH);
    expect(rss, `RSS grew ${mib(rss)}`).toBeLessThanOrEqual(MAX_RSS_GROWTH);
    for (const s of held) s.close();
  });

  it('does not let a hoarder of small (cacheable) frames evict a healthy publisher', async () => {
    const room = 'hoard-small';
    const healthy = await healthyPublisher(room);
    const hoarder = await hoard(room, 'small-hoarder', 8 * 1024);
    const { late, fromHealthy, fromHoarders } = await lateJoin(room, healthy, [hoarder]);
    expect(late.closedWith).toBeUndefined();
    expect(fromHealthy.map((f) => [f.kind, Number(f.seq)])).toEqual([
      [FrameKind.identity, 1],
      [FrameKind.key, 2],
    ]);
    expect(fromHoarders.length).toBeLessThanOrEqual(MAX_REPLAY_FROM_HOARDER);
    // Identity frames come first in the replay.
    const kinds = late.all('frame').map((e) => e.frame!.kind);
    const firstKey = kinds.indexOf(FrameKind.key);
    expect(kinds.slice(firstKey).includes(FrameKind.identity)).toBe(false);
    for (const s of [healthy, hoarder, late]) s.close();
  });
});
