import { FrameKind } from '@semface/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { startRelay } from './helpers/relay-fixture.js';
import { TestClient } from './helpers/test-client.js';

describe('slow subscriber', () => {
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  it('drops deltas for a client that does not read, never stalling the others', async () => {
    const relay = await startRelay({
      highWaterBytes: 64 * 1024,
      maxQueueMessages: 64,
      maxQueueBytes: 4 * 1024 * 1024,
      rateLimitMessagesPerSecond: 100_000,
      rateLimitBurstMessages: 100_000,
      rateLimitBytesPerSecond: 1024 * 1024 * 1024,
      rateLimitBurstBytes: 1024 * 1024 * 1024,
    });
    cleanup.push(() => relay.server.close());
    const room = 'slow';
    const pub = await TestClient.joined(relay.url, await relay.token('pub', room), room);
    const healthy = await Promise.all(
      ['h1', 'h2'].map(async (n) => TestClient.joined(relay.url, await relay.token(n, room), room)),
    );
    const slow = await TestClient.joined(relay.url, await relay.token('slow', room), room);
    cleanup.push(() => [pub, ...healthy, slow].forEach((c) => c.close()));
    // Stop reading: the kernel buffers fill, then the relay's backlog for this client grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const total = 600;
    const payload = new Uint8Array(32 * 1024).fill(7);
    for (let seq = 0; seq < total; seq++) {
      const kind = seq % 100 === 0 ? FrameKind.key : FrameKind.delta;
      pub.frame({ seq, kind, payload });
      // Pace on the healthy clients: each frame reaches them before the next is sent.
      for (const h of healthy) await h.until(() => h.all('frame').length === seq + 1, `frame ${seq}`);
    }
    for (const h of healthy) {
      const seqs = h.all('frame').map((e) => e.frame!.seq);
      expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i));
    }
    const metrics = await (await fetch(`${relay.http}/metrics`)).text();
    const dropped = [
      ...metrics.matchAll(/semface_relay_frames_dropped_total\{reason="[a-z_]+"\} (\d+)/g),
    ].reduce((s, m) => s + Number(m[1]), 0);
    expect(dropped).toBeGreaterThan(0);
    // Key frames are never dropped: once the slow client reads again it gets every key frame.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.until(
      () => slow.all('frame').filter((e) => e.frame!.kind === FrameKind.key).length === total / 100,
      'all key frames',
      20_000,
    );
    const slowSeqs = slow.all('frame').map((e) => e.frame!.seq);
    expect(slowSeqs.length).toBeLessThan(total);
    expect(slowSeqs).toEqual([...slowSeqs].sort((a, b) => a - b));
  });

  it('cuts a subscriber whose reliable backlog overflows, with the others unaffected', async () => {
    const relay = await startRelay({
      highWaterBytes: 16 * 1024,
      maxQueueMessages: 16,
      maxQueueBytes: 256 * 1024,
      rateLimitMessagesPerSecond: 100_000,
      rateLimitBurstMessages: 100_000,
      rateLimitBytesPerSecond: 1024 * 1024 * 1024,
      rateLimitBurstBytes: 1024 * 1024 * 1024,
    });
    cleanup.push(() => relay.server.close());
    const room = 'cut';
    const pub = await TestClient.joined(relay.url, await relay.token('pub', room), room);
    const healthy = await TestClient.joined(relay.url, await relay.token('h', room), room);
    const slow = await TestClient.joined(relay.url, await relay.token('slow', room), room);
    cleanup.push(() => [pub, healthy, slow].forEach((c) => c.close()));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = new Uint8Array(32 * 1024).fill(1);
    let seq = 0;
    const metricsText = async () => (await fetch(`${relay.http}/metrics`)).text();
    while (!/semface_relay_slow_consumers_total 1/.test(await metricsText())) {
      pub.frame({ seq, kind: FrameKind.key, payload });
      await healthy.until(() => healthy.all('frame').length === seq + 1, `frame ${seq}`);
      seq++;
      if (seq > 2000) throw new Error('slow consumer never cut');
    }
    pub.frame({ seq, kind: FrameKind.key, payload });
    await healthy.until(() => healthy.all('frame').length === seq + 1, 'frame after the cut');
    expect(healthy.all('error')).toHaveLength(0);
  });
});
