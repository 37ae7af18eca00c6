import { type Bus, InProcessBus, NatsBus, RedisBus } from '@semface/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServiceKind,
  hasService,
  serviceUrl,
  startService,
  stopService,
  testPort,
} from './helpers/services.js';

interface Impl {
  name: string;
  service: ServiceKind | undefined;
  /** Two independent connections (as two relay processes would hold). */
  open(port: number): Promise<[Bus, Bus]>;
}

const IMPLS: Impl[] = [
  {
    name: 'in-process',
    service: undefined,
    open: async () => {
      const b = new InProcessBus();
      return [b, b];
    },
  },
  {
    name: 'nats',
    service: 'nats',
    open: async (port) =>
      Promise.all([
        NatsBus.connect({ servers: serviceUrl('nats', port) }),
        NatsBus.connect({ servers: serviceUrl('nats', port) }),
      ]),
  },
  {
    name: 'redis',
    service: 'redis',
    open: async (port) =>
      Promise.all([
        RedisBus.connect({ url: serviceUrl('redis', port) }),
        RedisBus.connect({ url: serviceUrl('redis', port) }),
      ]),
  },
];

function collector() {
  const got: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  return {
    got,
    handler: (d: Uint8Array) => {
      got.push(new Uint8Array(d));
      wake?.();
    },
    async waitFor(n: number, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`timeout: ${got.length}/${n} messages`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
  };
}

/** Publishes until the subscriber sees one (subscriptions propagate asynchronously on real buses). */
async function settle(pub: Bus, room: string, c: ReturnType<typeof collector>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (c.got.length === 0) {
    if (Date.now() > deadline) throw new Error('bus never delivered');
    pub.publish(room, new Uint8Array([0]));
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 100));
  c.got.length = 0;
}

for (const impl of IMPLS) {
  const available = impl.service === undefined || hasService(impl.service);
  if (!available) {
    process.stdout.write(`skipped: ${impl.service}-server not installed (bus contract ${impl.name})\n`);
  }
  describe.skipIf(!available)(`Bus contract: ${impl.name}`, () => {
    const port = testPort(impl.service === 'redis' ? 26000 : 24000);
    let a: Bus;
    let b: Bus;
    beforeAll(async () => {
      if (impl.service) startService(impl.service, port);
      [a, b] = await impl.open(port);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      if (impl.service) stopService(impl.service, port);
    });

    it('delivers bytes unchanged to subscribers of the room only', async () => {
      const inRoom = collector();
      const other = collector();
      await b.subscribe('r1', inRoom.handler);
      await b.subscribe('r2', other.handler);
      await settle(a, 'r1', inRoom);
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      a.publish('r1', all);
      a.publish('r1', new Uint8Array([1, 2, 3]));
      await inRoom.waitFor(2);
      expect(Array.from(inRoom.got[0]!)).toEqual(Array.from(all));
      expect(Array.from(inRoom.got[1]!)).toEqual([1, 2, 3]);
      await new Promise((r) => setTimeout(r, 100));
      expect(other.got.filter((m) => m.length > 1)).toHaveLength(0);
      expect(a.connected).toBe(true);
    });

    it('fans out to several subscribers and stops after unsubscribe', async () => {
      const one = collector();
      const two = collector();
      const un1 = await b.subscribe('r3', one.handler);
      await a.subscribe('r3', two.handler);
      await settle(a, 'r3', one);
      await settle(a, 'r3', two);
      a.publish('r3', new Uint8Array([5]));
      await one.waitFor(1);
      await two.waitFor(1);
      await un1();
      await new Promise((r) => setTimeout(r, 100));
      one.got.length = 0;
      a.publish('r3', new Uint8Array([6]));
      await two.waitFor(2);
      await new Promise((r) => setTimeout(r, 100));
      expect(one.got).toHaveLength(0);
    });

    it('carries the cluster channel apart from every room (even one named "cluster")', async () => {
      const cluster = collector();
      const room = collector();
      await b.subscribeCluster(cluster.handler);
      await b.subscribe('cluster', room.handler);
      const deadline = Date.now() + 10_000;
      while (cluster.got.length === 0) {
        if (Date.now() > deadline) throw new Error('cluster channel never delivered');
        a.publishCluster(new Uint8Array([7, 7]));
        await new Promise((r) => setTimeout(r, 50));
      }
      await settle(a, 'cluster', room);
      a.publishCluster(new Uint8Array([8]));
      await cluster.waitFor(cluster.got.length + 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(cluster.got.every((m) => m[0] === 7 || m[0] === 8)).toBe(true);
      expect(room.got).toHaveLength(0);
    });

    it.skipIf(impl.service === undefined)('survives a bus server restart and resumes delivery', async () => {
      const c = collector();
      await b.subscribe('r4', c.handler);
      await settle(a, 'r4', c);
      const errors: Error[] = [];
      a.onError((e) => errors.push(e));
      let reconnects = 0;
      b.onReconnect(() => reconnects++);
      stopService(impl.service!, port);
      // Publishing into a dead bus must not throw.
      a.publish('r4', new Uint8Array([9]));
      await new Promise((r) => setTimeout(r, 300));
      startService(impl.service!, port);
      const deadline = Date.now() + 15_000;
      while (!c.got.some((m) => m[0] === 42)) {
        if (Date.now() > deadline) throw new Error('no delivery after restart');
        a.publish('r4', new Uint8Array([42]));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(a.connected && b.connected).toBe(true);
      // The reconnect notice (what triggers room re-sync) comes once subscriptions are live again.
      while (reconnects === 0) {
        if (Date.now() > deadline) throw new Error('no reconnect notice');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(reconnects).toBe(1);
    });

    it('closes idempotently', async () => {
      const [x, y] = await impl.open(port);
      await x.close();
      await x.close();
      if (y !== x) await y.close();
      expect(x.connected).toBe(false);
    });
  });
}
