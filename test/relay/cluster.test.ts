import { randomBytes } from 'node:crypto';
import { FrameKind } from '@semface/protocol';
import { InProcessBus, type RelayServerOptions } from '@semface/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const CASES: Array<{ name: string; service: ServiceKind | undefined }> = [
  { name: 'shared in-process bus', service: undefined },
  { name: 'NATS', service: 'nats' },
  { name: 'Redis', service: 'redis' },
];

for (const tc of CASES) {
  const available = tc.service === undefined || hasService(tc.service);
  if (!available)
    process.stdout.write(`skipped: ${tc.service}-server not installed (two relays over ${tc.name})\n`);
  describe.skipIf(!available)(`two relays over ${tc.name}`, () => {
    const port = testPort(tc.service === 'redis' ? 30000 : 28000);
    const secret = randomBytes(32).toString('hex');
    let A: Awaited<ReturnType<typeof startRelay>>;
    let B: Awaited<ReturnType<typeof startRelay>>;
    const clients: TestClient[] = [];
    const join = async (relay: typeof A, name: string, room: string) => {
      const c = await TestClient.joined(relay.url, await relay.token(name, room), room);
      clients.push(c);
      return c;
    };
    /** Cross-node presence is asynchronous: wait until `c` has seen `n` peers join. */
    const seesPeers = (c: TestClient, n: number) => c.until(() => c.all('peerJoined').length >= n, 'peers');

    beforeAll(async () => {
      let opts: Partial<RelayServerOptions>;
      if (tc.service) {
        startService(tc.service, port);
        opts = { busUrl: serviceUrl(tc.service, port) };
      } else {
        opts = { bus: new InProcessBus() };
      }
      A = await startRelay({ ...opts, nodeId: 'nodeA' }, secret);
      B = await startRelay({ ...opts, nodeId: 'nodeB' }, secret);
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await A?.server.close();
      await B?.server.close();
      if (tc.service) stopService(tc.service, port);
    });

    it('shares a room: presence, frames and key-frame requests cross nodes', async () => {
      const pub = await join(A, 'pub', 'x1');
      const subB = await join(B, 'subB', 'x1');
      await seesPeers(pub, 1);
      const subA = await join(A, 'subA', 'x1');
      await seesPeers(subB, 1);
      for (let seq = 0; seq < 20; seq++)
        pub.frame({ seq, kind: seq === 0 ? FrameKind.key : FrameKind.delta });
      for (const s of [subA, subB]) {
        await s.until(() => s.all('frame').length === 20, '20 frames');
        expect(s.all('frame').map((e) => e.frame!.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(s.all('frame')[0]!.frame!.participantId).toBe(pub.participantId);
      }
      subB.send({ keyFrameRequest: { participantId: pub.participantId, stream: 0 } });
      const req = await pub.next('keyFrameRequest');
      expect(req.keyFrameRequest!.requesterId).toBe(subB.participantId);
      subB.close();
      const left = await pub.next('peerLeft', (e) => e.peerLeft!.participantId === subB.participantId);
      expect(left.peerLeft!.room).toBe('x1');
    });

    it('gives a late joiner on the other node the key and identity frames', async () => {
      const pub = await join(A, 'pub2', 'x2');
      pub.frame({ seq: 0, kind: FrameKind.identity });
      pub.frame({ seq: 1, kind: FrameKind.key });
      pub.frame({ seq: 2, kind: FrameKind.delta });
      pub.send({ ping: { nonce: 1 } });
      await pub.next('pong');
      const late = await join(B, 'late', 'x2');
      await late.until(() => late.all('frame').length >= 2, 'cached frames from node A');
      expect(
        late
          .all('frame')
          .slice(0, 2)
          .map((e) => e.frame!.kind),
      ).toEqual([FrameKind.identity, FrameKind.key]);
      await late.until(() => late.all('peerJoined').length >= 1, 'presence sync');
      expect(late.all('peerJoined')[0]!.peerJoined!.peer!.identity).toBe('pub2');
    });

    it.skipIf(tc.service === undefined)('keeps serving through a bus restart and reconnects', async () => {
      const pub = await join(A, 'pub3', 'x3');
      const sub = await join(B, 'sub3', 'x3');
      await seesPeers(pub, 1);
      stopService(tc.service!, port);
      // Local traffic continues while the bus is down; nothing crashes.
      const local = await join(A, 'local3', 'x3');
      pub.frame({ seq: 1, kind: FrameKind.key });
      await local.until(() => local.all('frame').length === 1, 'local frame while bus is down');
      const ready = await fetch(`${A.http}/readyz`);
      expect([200, 503]).toContain(ready.status);
      startService(tc.service!, port);
      let seq = 2;
      const deadline = Date.now() + 20_000;
      while (!sub.all('frame').some((e) => e.frame!.seq >= 2)) {
        if (Date.now() > deadline) throw new Error('no cross-node frame after bus restart');
        pub.frame({ seq: seq++, kind: FrameKind.delta });
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await fetch(`${A.http}/healthz`)).status).toBe(200);
      const deadlineReady = Date.now() + 10_000;
      while ((await fetch(`${B.http}/readyz`)).status !== 200) {
        if (Date.now() > deadlineReady) throw new Error('node B never ready again');
        await new Promise((r) => setTimeout(r, 100));
      }
    });
  });
}
