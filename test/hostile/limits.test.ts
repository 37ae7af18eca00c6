// Finding 10: per-IP and per-identity connection caps; /metrics kept off the public port for
// non-loopback clients; the relay's relayTimeUs wins over the client's; a 60 KiB Hello.client is
// truncated in logs.
import { networkInterfaces } from 'node:os';
import { CloseCode, FrameKind, RelayErrorCode } from '@semface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChildRelay,
  type HostileRelay,
  HostileSocket,
  httpRequest,
  startChildRelay,
  startInProcessRelay,
} from './harness/index.js';

/** A non-loopback IPv4 address of this machine, if any (to be a "remote" client of ourselves). */
function externalIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}
const EXTERNAL = externalIPv4();

async function openOrStatus(url: string): Promise<HostileSocket | number> {
  try {
    return await HostileSocket.open(url);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === undefined) throw err;
    return status;
  }
}

describe('connection caps', () => {
  it('refuses upgrades over maxConnectionsPerIp with HTTP 429 and frees the slot on close', async () => {
    const relay = await startInProcessRelay({ maxConnectionsPerIp: 4 });
    try {
      const ok = await Promise.all(Array.from({ length: 4 }, () => HostileSocket.open(relay.url)));
      expect(await openOrStatus(relay.url)).toBe(429);
      ok[0]!.close();
      await ok[0]!.waitClosed();
      // The relay sees the close a moment later.
      let again: HostileSocket | number = 429;
      for (let i = 0; i < 50 && typeof again === 'number'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        again = await openOrStatus(relay.url);
      }
      expect(again).toBeInstanceOf(HostileSocket);
      for (const s of [...ok, again]) if (typeof s !== 'number') s.terminate();
    } finally {
      await relay.close();
    }
  });

  it('caps connections per IP by default (70 sockets from one address)', async () => {
    const relay = await startInProcessRelay();
    try {
      const results = await Promise.all(Array.from({ length: 70 }, () => openOrStatus(relay.url)));
      const refused = results.filter((r) => r === 429).length;
      expect(refused).toBeGreaterThanOrEqual(1);
      expect(results.filter((r) => typeof r === 'number' && r !== 429)).toEqual([]);
      for (const r of results) if (typeof r !== 'number') r.terminate();
    } finally {
      await relay.close();
    }
  });

  it('closes connections over maxConnectionsPerIdentity with 4015', async () => {
    const relay = await startInProcessRelay({ maxConnectionsPerIdentity: 2 });
    try {
      const a = await HostileSocket.authenticated(relay.url, await relay.token('same', 'r'));
      const b = await HostileSocket.authenticated(relay.url, await relay.token('same', 'r'));
      const c = await HostileSocket.open(relay.url);
      c.hello(await relay.token('same', 'r'));
      const closed = await c.waitClosed();
      expect(closed?.code).toBe(4015);
      expect(CloseCode.connectionLimit).toBe(4015);
      expect(c.errorCodes()).toEqual([RelayErrorCode.connectionLimit]);
      // Another identity is unaffected.
      const d = await HostileSocket.authenticated(relay.url, await relay.token('other', 'r'));
      for (const s of [a, b, d]) s.terminate();
    } finally {
      await relay.close();
    }
  });

  it('caps connections per identity by default (10 with one identity)', async () => {
    const relay = await startInProcessRelay();
    try {
      const token = await relay.token('popular', 'r');
      const sockets = await Promise.all(Array.from({ length: 10 }, () => HostileSocket.open(relay.url)));
      for (const s of sockets) s.hello(token);
      await Promise.all(
        sockets.map((s) => s.until(() => s.all('welcome').length > 0 || s.closedWith !== undefined)),
      );
      // 4015 spelled out: the constant is missing from protocol builds without the cap.
      const refused = sockets.filter((s) => s.closedWith !== undefined && s.closedWith.code === 4015).length;
      expect(refused).toBeGreaterThanOrEqual(1);
      for (const s of sockets) s.terminate();
    } finally {
      await relay.close();
    }
  });
});

describe('metrics exposure', () => {
  it.runIf(EXTERNAL)('refuses /metrics on the public port to a non-loopback client', async () => {
    const relay = await startInProcessRelay({ host: '0.0.0.0' });
    try {
      const remote = await httpRequest(`http://${EXTERNAL}:${relay.port}/metrics`);
      expect(remote.status).not.toBe(200);
      expect(remote.text).not.toContain('semface_relay_connections');
      expect((await httpRequest(`http://${EXTERNAL}:${relay.port}/healthz`)).status).toBe(200);
    } finally {
      await relay.close();
    }
  });

  it.runIf(EXTERNAL)(
    'opens /metrics to a non-loopback client only with the metrics bearer token',
    async () => {
      const metricsToken = 'm'.repeat(32);
      const relay = await startInProcessRelay({ host: '0.0.0.0', metricsToken });
      try {
        const url = `http://${EXTERNAL}:${relay.port}/metrics`;
        expect((await httpRequest(url)).status).not.toBe(200);
        expect((await httpRequest(url, { headers: { authorization: 'Bearer wrong' } })).status).not.toBe(200);
        const ok = await httpRequest(url, { headers: { authorization: `Bearer ${metricsToken}` } });
        expect(ok.status).toBe(200);
        expect(ok.text).toContain('semface_relay_connections');
      } finally {
        await relay.close();
      }
    },
  );

  it('serves /metrics only on metricsPort when one is configured', async () => {
    const relay = await startInProcessRelay({ metricsPort: 0 });
    try {
      expect((await httpRequest(`${relay.http}/metrics`)).status).not.toBe(200);
    } finally {
      await relay.close();
    }
  });
});

describe('client-controlled fields', () => {
  let relay: HostileRelay;
  beforeAll(async () => {
    relay = await startInProcessRelay();
  });
  afterAll(async () => {
    await relay.close();
  });

  it('overwrites a client-set relayTimeUs with the relay clock', async () => {
    const room = 'clock';
    const pub = await HostileSocket.joined(relay.url, await relay.token('liar', room), room);
    const sub = await HostileSocket.joined(relay.url, await relay.token('victim', room), room);
    const lies = [1, 2 ** 52, (Date.now() - 3_600_000) * 1000];
    for (const [seq, relayTimeUs] of lies.entries()) {
      pub.send({
        frame: { stream: 0, seq, kind: FrameKind.key, modelId: 'x', payload: Uint8Array.of(1), relayTimeUs },
      });
    }
    expect(await sub.until(() => sub.all('frame').length === lies.length)).toBe(true);
    const nowUs = Date.now() * 1000;
    for (const e of sub.all('frame')) {
      expect(Math.abs(Number(e.frame!.relayTimeUs) - nowUs)).toBeLessThan(60e6);
    }
    pub.close();
    sub.close();
  });
});

describe('logs', () => {
  let relay: ChildRelay;
  beforeAll(async () => {
    relay = await startChildRelay({ logLevel: 'info' }, undefined, { captureStdout: true });
  });
  afterAll(async () => {
    await relay.close();
  });

  it('truncates a 60 KiB Hello.client in the relay log', async () => {
    const s = await HostileSocket.authenticated(
      relay.url,
      await relay.token('verbose', 'r'),
      'Z'.repeat(60 * 1024),
    );
    s.close();
    await s.waitClosed();
    // Logs are written asynchronously; wait for the "authenticated" line.
    const deadline = Date.now() + 5_000;
    while (!relay.stdout().includes('"verbose"') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const lines = relay.stdout().split('\n');
    const auth = lines.find((l) => l.includes('"verbose"'));
    expect(auth, 'no log line for the client').toBeDefined();
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(4096);
    expect(relay.stdout()).not.toContain('Z'.repeat(1024));
  });
});
