import { randomBytes } from 'node:crypto';
import { FrameKind } from '@semface/protocol';
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

const RECOVERY_MS = 20_000;

for (const kind of ['nats', 'redis'] as ServiceKind[]) {
  const available = hasService(kind);
  if (!available) process.stdout.write(`skipped: ${kind}-server not installed (bus re-sync)\n`);
  describe.skipIf(!available)(`re-sync after a ${kind} restart`, () => {
    const port = testPort(kind === 'redis' ? 44000 : 46000);
    const auth = { user: 'relay', pass: `pw-${randomBytes(8).toString('hex')}` };
    const secret = randomBytes(32).toString('hex');
    const clients: TestClient[] = [];
    let A: Awaited<ReturnType<typeof startRelay>>;
    let B: Awaited<ReturnType<typeof startRelay>>;
    const join = async (relay: typeof A, name: string, room: string) => {
      const c = await TestClient.joined(relay.url, await relay.token(name, room), room);
      clients.push(c);
      return c;
    };
    const saw = (c: TestClient, id: string) =>
      c.all('peerJoined').some((e) => e.peerJoined!.peer!.participantId === id);
    const sawLeave = (c: TestClient, id: string) =>
      c.all('peerLeft').some((e) => e.peerLeft!.participantId === id);

    beforeAll(async () => {
      startService(kind, port, auth);
      const bus = { busUrl: serviceUrl(kind, port), busUser: auth.user, busPassword: auth.pass };
      A = await startRelay({ ...bus, nodeId: 'syncA' }, secret);
      B = await startRelay({ ...bus, nodeId: 'syncB' }, secret);
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await A?.server.close();
      await B?.server.close();
      stopService(kind, port);
    });

    it('reconciles joins and leaves lost in the outage, re-sends identity frames, asks for key frames', async () => {
      const room = 'rs1';
      const pub = await join(A, 'pub', room);
      const sub = await join(B, 'sub', room);
      const leaver = await join(B, 'leaver', room);
      await pub.until(() => saw(pub, sub.participantId) && saw(pub, leaver.participantId), 'B peers', 10_000);
      await sub.until(() => saw(sub, pub.participantId), 'pub announced on B', 10_000);
      pub.frame({ seq: 0, kind: FrameKind.identity, payload: new Uint8Array([1]) });
      pub.frame({ seq: 1, kind: FrameKind.key, payload: new Uint8Array([1]) });
      await sub.until(() => sub.all('frame').length === 2, 'identity and key frame on B');
      const identities = () => sub.all('frame').filter((e) => e.frame!.kind === FrameKind.identity).length;

      stopService(kind, port);
      // Meanwhile: a peer joins on A and one leaves on B; neither node can tell the other.
      const newcomer = await join(A, 'newcomer', room);
      leaver.close();
      await leaver.closed;
      await new Promise((r) => setTimeout(r, 500));
      startService(kind, port, auth);

      await sub.until(() => saw(sub, newcomer.participantId), 'newcomer seen on B', RECOVERY_MS);
      for (const c of [pub, newcomer]) {
        await c.until(() => sawLeave(c, leaver.participantId), 'leaver gone on A', RECOVERY_MS);
      }
      expect(
        pub.all('peerLeft').find((e) => e.peerLeft!.participantId === leaver.participantId)!.peerLeft!.reason,
      ).toBe('leave');
      // Subscribers get the publisher's identity frame again, and the publisher is asked for a
      // key frame (by the relay: empty requester) so deltas after the gap become decodable.
      await sub.until(() => identities() >= 2, 'identity frame re-sent', RECOVERY_MS);
      await pub.until(
        () => pub.all('keyFrameRequest').some((e) => e.keyFrameRequest!.requesterId === ''),
        'relay key-frame request',
        RECOVERY_MS,
      );
      // Nobody was declared dead over the outage (a node cannot hear anyone while its bus is down).
      expect(sawLeave(newcomer, sub.participantId) || sawLeave(pub, sub.participantId)).toBe(false);
      expect(sawLeave(sub, pub.participantId)).toBe(false);
      for (const r of [A, B])
        expect(await metric(r.server, 'semface_relay_bus_resyncs_total')).toBeGreaterThan(0);

      // And traffic flows both ways again.
      pub.frame({ seq: 2, kind: FrameKind.delta, payload: new Uint8Array([2]) });
      await sub.until(() => sub.all('frame').some((e) => e.frame!.seq === 2), 'live frame after re-sync');
    });
  });
}
