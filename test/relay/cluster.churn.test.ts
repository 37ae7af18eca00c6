import { randomBytes } from 'node:crypto';
import { FrameKind } from '@semface/protocol';
import { type Bus, createBus } from '@semface/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric } from './helpers/cluster.js';
import { startRelay } from './helpers/relay-fixture.js';
import { hasService, serviceUrl, startService, stopService, testPort } from './helpers/services.js';
import { TestClient } from './helpers/test-client.js';

const CYCLES = 60;
const MEMBERS_ON_A = 4;
const SYNC_INTERVAL_MS = 1_000;

describe.skipIf(!hasService('nats'))('room churn over NATS', () => {
  const port = testPort(48000);
  const secret = randomBytes(32).toString('hex');
  const clients: TestClient[] = [];
  let A: Awaited<ReturnType<typeof startRelay>>;
  let B: Awaited<ReturnType<typeof startRelay>>;
  let tap: Bus;

  beforeAll(async () => {
    startService('nats', port);
    const opts = { busUrl: serviceUrl('nats', port), clusterSyncIntervalMs: SYNC_INTERVAL_MS };
    A = await startRelay({ ...opts, nodeId: 'churnA' }, secret);
    B = await startRelay({ ...opts, nodeId: 'churnB' }, secret);
    tap = await createBus(serviceUrl('nats', port));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await tap?.close();
    await A?.server.close();
    await B?.server.close();
    stopService('nats', port);
  });

  it('keeps room sync traffic bounded when a room keeps emptying and refilling on a node', async () => {
    const room = 'churn1';
    const members: TestClient[] = [];
    for (let i = 0; i < MEMBERS_ON_A; i++) {
      const m = await TestClient.joined(A.url, await A.token(`m${i}`, room), room);
      clients.push(m);
      members.push(m);
      m.frame({ seq: 0, kind: FrameKind.identity });
      m.frame({ seq: 1, kind: FrameKind.key });
    }
    // Node A has relayed all of it before the count starts.
    for (const m of members) {
      m.send({ ping: { nonce: 1 } });
      await m.next('pong');
    }
    // Count every message on the room's bus channel from here on (both nodes, all kinds).
    let onBus = 0;
    await tap.subscribe(room, () => onBus++);
    const syncsBefore = await metric(B.server, 'semface_relay_bus_sync_total', 'kind="request"');
    const answersBefore = await metric(A.server, 'semface_relay_bus_sync_total', 'kind="answer"');
    const start = performance.now();
    for (let i = 0; i < CYCLES; i++) {
      // Each time the room goes from empty to non-empty on node B.
      const c = await TestClient.joined(B.url, await B.token(`churn${i}`, room), room);
      c.send({ leave: { room } });
      c.close();
      await c.closed;
    }
    const elapsedMs = performance.now() - start;
    // Rate-limited syncs: one per interval per room (plus the one that may still be deferred).
    const windows = Math.ceil(elapsedMs / SYNC_INTERVAL_MS) + 2;
    const last = await TestClient.joined(B.url, await B.token('stays', room), room);
    clients.push(last);
    // The last joiner still gets the full picture once the deferred sync runs.
    await last.until(() => last.all('peerJoined').length >= MEMBERS_ON_A, 'peers of node A', 10_000);
    await last.until(() => last.all('frame').length >= 2 * MEMBERS_ON_A, 'cached frames of node A', 10_000);
    await new Promise((r) => setTimeout(r, 2 * SYNC_INTERVAL_MS));

    const requests = (await metric(B.server, 'semface_relay_bus_sync_total', 'kind="request"')) - syncsBefore;
    const answers = (await metric(A.server, 'semface_relay_bus_sync_total', 'kind="answer"')) - answersBefore;
    expect(requests).toBeLessThanOrEqual(windows + 1);
    expect(answers).toBeLessThanOrEqual(windows + 1);
    // Per cycle: the joiner's PeerJoined and PeerLeft. Per sync: one request and one answer
    // (peers and frames batched in one message). The old relay sent a request per cycle and
    // an answer of one message per peer and per cached frame: 2 + 1 + 4 + 8 = 15 per cycle.
    const bound = 2 * (CYCLES + 1) + 2 * (windows + 1);
    expect(onBus).toBeLessThanOrEqual(bound);
    expect(onBus).toBeGreaterThanOrEqual(2 * CYCLES);
    expect(members.every((m) => m.all('peerJoined').length >= CYCLES)).toBe(true);
  });
});
