// Slowloris and HTTP upgrade fuzzing: sockets that dribble their upgrade headers, upgrade and never
// say Hello, or start a WebSocket frame and never finish it are cut by the header / Hello timeouts;
// seeded malformed upgrade requests get an HTTP error or a close; healthy clients are unaffected.
import { CloseCode } from '@semface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HealthyPair,
  type HostileRelay,
  HostileSocket,
  MiB,
  Rng,
  fuzzUpgradeRequest,
  httpRequest,
  mib,
  openTcp,
  retained,
  startInProcessRelay,
  upgradeRequest,
} from './harness/index.js';

const HEADERS_TIMEOUT_MS = 1_000;
const HELLO_TIMEOUT_MS = 500;
/** Relay retained-memory growth allowed over the whole file (after gc). */
const MAX_RETAINED_GROWTH = 16 * MiB;

describe('slow and malformed HTTP upgrades', () => {
  let relay: HostileRelay;
  let pair: HealthyPair;
  let baseline = 0;

  beforeAll(async () => {
    relay = await startInProcessRelay({
      httpHeadersTimeoutMs: HEADERS_TIMEOUT_MS,
      helloTimeoutMs: HELLO_TIMEOUT_MS,
    });
    pair = await HealthyPair.start(relay.url, relay.token, 'healthy-slow', { fps: 25 });
    baseline = retained(await relay.memory());
  });
  afterAll(async () => {
    await relay.close();
  });

  /** A fresh client can still connect, authenticate and join. */
  async function freshClientWorks(tag: string): Promise<void> {
    const s = await HostileSocket.joined(relay.url, await relay.token(`fresh-${tag}`, 'fresh'), 'fresh');
    s.close();
  }

  it('cuts 40 sockets that dribble their upgrade headers one byte at a time', async () => {
    const sockets = await Promise.all(Array.from({ length: 40 }, () => openTcp(relay.port)));
    const head = 'GET /v1/relay HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: ';
    for (const s of sockets) s.write(head);
    const start = Date.now();
    const drip = setInterval(() => {
      for (const s of sockets) s.write('a');
    }, 100);
    await freshClientWorks('dribble'); // during the attack
    const ended = await Promise.race([
      Promise.all(sockets.map((s) => s.ended)),
      new Promise<undefined>((r) => setTimeout(r, HEADERS_TIMEOUT_MS + 7_000)),
    ]);
    clearInterval(drip);
    const open = ended === undefined ? sockets.filter((s) => !s.socket.destroyed).length : 0;
    for (const s of sockets) s.destroy();
    expect(open, `${open} of 40 dribbling sockets still open after ${Date.now() - start} ms`).toBe(0);
    expect(ended!.every((e) => e.byServer)).toBe(true);
  });

  it('closes 40 upgraded sockets that never send Hello with 4010', async () => {
    const sockets = await Promise.all(Array.from({ length: 40 }, () => HostileSocket.open(relay.url)));
    await freshClientWorks('silent');
    const closed = await Promise.all(sockets.map((s) => s.waitClosed(HELLO_TIMEOUT_MS + 5_000)));
    expect(closed.map((c) => c?.code)).toEqual(sockets.map(() => CloseCode.helloTimeout));
  });

  it('closes 20 sockets that start a large WebSocket frame and dribble it', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => openTcp(relay.port)));
    for (const s of sockets) s.write(upgradeRequest());
    await Promise.all(
      sockets.map(async (s) => {
        while (!s.data().includes('\r\n\r\n') && !s.socket.destroyed)
          await new Promise((r) => setTimeout(r, 10));
      }),
    );
    // Masked binary frame header announcing 200,000 bytes (64-bit length), then a byte every 100 ms.
    const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x03, 0x0d, 0x40, 1, 2, 3, 4]);
    for (const s of sockets) s.write(header);
    const drip = setInterval(() => {
      for (const s of sockets) s.write(Uint8Array.of(0x42));
    }, 100);
    const ended = await Promise.race([
      Promise.all(sockets.map((s) => s.ended)),
      new Promise<undefined>((r) => setTimeout(r, HELLO_TIMEOUT_MS + 8_000)),
    ]);
    clearInterval(drip);
    const open = sockets.filter((s) => !s.socket.destroyed).length;
    for (const s of sockets) s.destroy();
    expect(ended, `${open} of 20 sockets with a half-sent frame still open`).toBeDefined();
  });

  it('answers 300 seeded malformed upgrade requests with an HTTP status or a close, never a 5xx other than 503', async () => {
    const rng = new Rng(0x5eed4a11);
    const statuses = new Map<string, number>();
    const serverErrors: string[] = [];
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const req = fuzzUpgradeRequest(rng);
          const s = await openTcp(relay.port);
          s.write(Buffer.from(req, 'latin1'));
          // Done at a complete response head (101 / keep-alive 4xx) or a close, at most 1.5 s.
          const deadline = Date.now() + 1_500;
          while (!s.socket.destroyed && !s.data().includes('\r\n\r\n') && Date.now() < deadline) {
            await Promise.race([s.ended, new Promise((r) => setTimeout(r, 10))]);
          }
          const line = /^HTTP\/1\.1 (\d{3})/.exec(s.data());
          const status = line ? line[1]! : s.socket.destroyed ? 'closed' : 'pending';
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (line && line[1]!.startsWith('5') && line[1] !== '503')
            serverErrors.push(`${line[1]} for ${JSON.stringify(req.slice(0, 200))}`);
          s.destroy();
        }),
      );
    }
    expect(serverErrors).toEqual([]);
    expect(
      [...statuses.keys()].every((k) => k === 'closed' || k === 'pending' || /^[1-5]\d\d$/.test(k)),
    ).toBe(true);
    expect((await httpRequest(`${relay.http}/healthz`)).status).toBe(200);
    await freshClientWorks('fuzz');
  });

  it('kept the healthy pair whole and relay memory bounded', async () => {
    const report = await pair.stop();
    expect(report.missingKey).toEqual([]);
    expect(report.missingIdentity).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.closes).toEqual([]);
    expect(report.sent.key + report.sent.identity).toBeGreaterThan(10);
    const growth = retained(await relay.memory()) - baseline;
    expect(growth, `retained grew ${mib(growth)}`).toBeLessThanOrEqual(MAX_RETAINED_GROWTH);
  });
});
