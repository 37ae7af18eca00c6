import { randomBytes } from 'node:crypto';
import { FrameKind } from '@semface/protocol';
import type { Bus, BusHandler, BusUnsubscribe } from '@semface/server';
import { createBus } from '@semface/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric } from './helpers/cluster.js';
import { startRelay } from './helpers/relay-fixture.js';
import {
  type ServiceKind,
  hasService,
  serviceUrl,
  startService,
  stopService,
  testPort,
} from './helpers/services.js';
import { TestClient } from './helpers/test-client.js';

const HEARTBEAT_MS = 250;
const NODE_TIMEOUT_MS = 1_500;
/** Scheduling slack on a shared 2-core machine (the check is "within timeout + slack", not a latency). */
const SLACK_MS = 5_000;

/** A real bus whose outgoing messages can be cut (a one-way partition of one node). */
class CuttableBus implements Bus {
  cut = false;
  readonly #inner: Bus;
  constructor(inner: Bus) {
    this.#inner = inner;
  }
  get kind() {
    return this.#inner.kind;
  }
  get connected() {
    return this.#inner.connected;
  }
  publish(room: string, data: Uint8Array): void {
    if (!this.cut) this.#inner.publish(room, data);
  }
  subscribe(room: string, h: BusHandler): Promise<BusUnsubscribe> {
    return this.#inner.subscribe(room, h);
  }
  publishCluster(data: Uint8Array): void {
    if (!this.cut) this.#inner.publishCluster(data);
  }
  subscribeCluster(h: BusHandler): Promise<BusUnsubscribe> {
    return this.#inner.subscribeCluster(h);
  }
  onError(l: (err: Error) => void): void {
    this.#inner.onError(l);
  }
  onReconnect(l: () => void): void {
    this.#inner.onReconnect(l);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

for (const kind of ['nats', 'redis'] as ServiceKind[]) {
  const available = hasService(kind);
  if (!available) process.stdout.write(`skipped: ${kind}-server not installed (cluster liveness)\n`);
  describe.skipIf(!available)(`cluster liveness over ${kind}`, () => {
    const port = testPort(kind === 'redis' ? 40000 : 42000);
    const secret = randomBytes(32).toString('hex');
    const url = serviceUrl(kind, port);
    const clients: TestClient[] = [];
    const relays: Array<Awaited<ReturnType<typeof startRelay>>> = [];
    const buses: Bus[] = [];
    const relay = async (nodeId: string, extra: Record<string, unknown> = {}) => {
      const bus = new CuttableBus(await createBus(url));
      buses.push(bus);
      const r = await startRelay({ bus, nodeId, clusterHeartbeatMs: HEARTBEAT_MS, ...extra }, secret);
      relays.push(r);
      return { relay: r, bus };
    };
    const join = async (r: (typeof relays)[number], name: string, room: string) => {
      const c = await TestClient.joined(r.url, await r.token(name, room), room);
      clients.push(c);
      return c;
    };

    beforeAll(() => startService(kind, port));
    afterAll(async () => {
      for (const c of clients) c.close();
      for (const r of relays) await r.server.close();
      for (const b of buses) await b.close();
      stopService(kind, port);
    });

    it('removes a crashed node’s peers and cached frames after nodeTimeoutMs', async () => {
      const { relay: A } = await relay('liveA', { nodeTimeoutMs: NODE_TIMEOUT_MS });
      const { relay: B, bus: busB } = await relay('liveB', { nodeTimeoutMs: NODE_TIMEOUT_MS });
      const a1 = await join(A, 'a1', 'l1');
      const b1 = await join(B, 'b1', 'l1');
      // Frames cross only once the nodes have seen each other (a node alone publishes nothing).
      await a1.until(
        () => a1.all('peerJoined').some((e) => e.peerJoined!.peer!.participantId === b1.participantId),
        'b1 announced',
        10_000,
      );
      await b1.until(
        () =>
          (b1.all('joined')[0]?.joined?.peers ?? []).some((p) => p.participantId === a1.participantId) ||
          b1.all('peerJoined').some((e) => e.peerJoined!.peer!.participantId === a1.participantId),
        'a1 seen from node B',
        10_000,
      );
      b1.frame({ seq: 0, kind: FrameKind.identity });
      b1.frame({ seq: 1, kind: FrameKind.key });
      await a1.until(() => a1.all('frame').length === 2, 'frames from node B', 10_000);
      expect(a1.all('peerJoined').map((e) => e.peerJoined!.peer!.participantId)).toContain(b1.participantId);

      // Crash: node B's bus connection dies; it never says PeerLeft and stops its heartbeats.
      await busB.close();
      const left = await a1.next(
        'peerLeft',
        (e) => e.peerLeft!.participantId === b1.participantId,
        NODE_TIMEOUT_MS + SLACK_MS,
      );
      expect(left.peerLeft!.reason).toBe('timeout');
      expect(await metric(A.server, 'semface_relay_cluster_nodes_lost_total', 'reason="timeout"')).toBe(1);

      // The ghost and its cached frames are gone for late joiners too.
      const a2 = await join(A, 'a2', 'l1');
      expect(a2.all('joined')[0]!.joined!.peers!.map((p) => p.participantId)).toEqual([a1.participantId]);
      a2.send({ ping: { nonce: 1 } });
      await a2.next('pong');
      await new Promise((r) => setTimeout(r, 200));
      expect(a2.all('frame')).toHaveLength(0);
    });

    it('brings back the peers of a node that was cut off longer than nodeTimeoutMs', async () => {
      const { relay: A } = await relay('cutA', { nodeTimeoutMs: NODE_TIMEOUT_MS });
      const { relay: B, bus: busB } = await relay('cutB', { nodeTimeoutMs: NODE_TIMEOUT_MS });
      const a1 = await join(A, 'a1', 'l3');
      const b1 = await join(B, 'b1', 'l3');
      const sees = () =>
        a1.all('peerJoined').filter((e) => e.peerJoined!.peer!.participantId === b1.participantId);
      await a1.until(() => sees().length === 1, 'b1 announced', 10_000);
      busB.cut = true;
      await a1.next(
        'peerLeft',
        (e) => e.peerLeft!.participantId === b1.participantId,
        NODE_TIMEOUT_MS + SLACK_MS,
      );
      // Node B never noticed (its bus stayed up) and still has b1: hearing it again re-syncs.
      busB.cut = false;
      await a1.until(() => sees().length === 2, 'b1 announced again', 10_000);
      b1.frame({ seq: 0, kind: FrameKind.key });
      await a1.until(() => a1.all('frame').length === 1, 'frames from the node that came back', 10_000);
    });

    it('tells a restarted node (same id, new incarnation) from the old one at once', async () => {
      // A timeout far beyond the test's wait: only the incarnation change can remove the old peer.
      const { relay: A } = await relay('restartA', { nodeTimeoutMs: 120_000 });
      const { relay: C, bus: busC } = await relay('restartC', { nodeTimeoutMs: 120_000 });
      const a3 = await join(A, 'a3', 'l2');
      const c1 = await join(C, 'c1', 'l2');
      await a3.until(
        () => a3.all('peerJoined').some((e) => e.peerJoined!.peer!.participantId === c1.participantId),
        'c1 announced',
        10_000,
      );
      await busC.close();
      await C.server.close();
      const { relay: C2 } = await relay('restartC', { nodeTimeoutMs: 120_000 });
      const left = await a3.next('peerLeft', (e) => e.peerLeft!.participantId === c1.participantId, 15_000);
      expect(left.peerLeft!.reason).toBe('timeout');
      expect(await metric(A.server, 'semface_relay_cluster_nodes_lost_total', 'reason="restart"')).toBe(1);
      // The new incarnation is a normal member (its participant ids may repeat the old ones).
      const c2 = await join(C2, 'c2', 'l2');
      await a3.until(
        () => a3.all('peerJoined').some((e) => e.peerJoined!.peer!.identity === 'c2'),
        'c2 announced by the restarted node',
        10_000,
      );
      await c2.until(
        () => c2.all('peerJoined').some((e) => e.peerJoined!.peer!.participantId === a3.participantId),
        'a3 announced to the restarted node',
        10_000,
      );
    });
  });
}
