// Finding 1: a Hello whose JWT header carries a long non-ASCII `crit` value made the relay exit
// (the close reason, > 123 bytes, made ws.close throw inside the async Hello handler: unhandled
// rejection). The relay runs as `semface serve` in a child process, so a crash is an exit.
import { CloseCode, RelayErrorCode } from '@semface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliRelay,
  HealthyPair,
  HostileSocket,
  Rng,
  type TokenFn,
  critBombToken,
  hostileToken,
  httpRequest,
  startCliRelay,
} from './harness/index.js';

const SEED = 0x11c0ffee;

describe('hostile Hello tokens against `semface serve` (child process)', () => {
  let relay: CliRelay;
  let url: string;
  let http: string;
  // Tokens from the relay's own dev endpoint (its secret is random and private to the child).
  const token: TokenFn = async (identity, room = 'room1') => {
    const res = await httpRequest(`${http}/v1/dev/token`, { method: 'POST', body: { identity, room } });
    if (res.status !== 200) throw new Error(`dev token: HTTP ${res.status} ${res.text}`);
    return (res.json as { token: string }).token;
  };

  beforeAll(async () => {
    relay = startCliRelay(['--dev', '--port', '0', '--log-level', 'silent', '--hello-timeout-ms', '2000']);
    url = await relay.listening;
    http = url.replace(/^ws:/, 'http:').replace(/\/v1\/relay$/, '');
  });
  afterAll(async () => {
    await relay.close();
  });

  async function expectAlive(): Promise<void> {
    // Give a crash (unhandled rejection -> exit) time to happen before looking.
    await new Promise((r) => setTimeout(r, 200));
    expect(relay.alive(), `relay exited; stderr:\n${relay.stderr()}`).toBe(true);
    expect((await httpRequest(`${http}/healthz`)).status).toBe(200);
  }

  it('answers a crit-header bomb with 4001 and a short byte-safe reason, and stays up', async () => {
    const s = await HostileSocket.open(url);
    s.hello(critBombToken());
    const closed = await s.waitClosed(5_000);
    expect(closed, 'socket was not closed').toBeDefined();
    expect(closed!.code).toBe(CloseCode.unauthorized);
    expect(closed!.reasonBytes).toBeLessThanOrEqual(123);
    expect(Buffer.from(closed!.reason).length).toBe(closed!.reasonBytes); // valid UTF-8, as sent
    expect(s.errorCodes()).toEqual([RelayErrorCode.unauthorized]);
    const message = s.all('error')[0]!.error!.message!;
    expect(message.length).toBeLessThanOrEqual(256);
    await expectAlive();
  });

  it('survives 200 seeded hostile tokens (crafted headers, huge, non-ASCII) while a healthy pair runs', async () => {
    const pair = await HealthyPair.start(url, token, 'healthy-crash', { fps: 25 });
    const rng = new Rng(SEED);
    const codes = new Map<number, number>();
    const tooLong: number[] = [];
    for (let batch = 0; batch < 25; batch++) {
      const sockets = await Promise.all(Array.from({ length: 8 }, () => HostileSocket.open(url)));
      for (const s of sockets) s.hello(hostileToken(rng));
      for (const s of sockets) {
        const c = await s.waitClosed(5_000);
        const code = c?.code ?? -1;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (c && c.reasonBytes > 123) tooLong.push(c.reasonBytes);
        for (const code of s.errorCodes()) expect(code).toBe(RelayErrorCode.unauthorized);
        expect(s.undecodable).toBe(0);
      }
    }
    expect(Object.fromEntries(codes)).toEqual({ [CloseCode.unauthorized]: 200 });
    expect(tooLong).toEqual([]);
    await expectAlive();
    const report = await pair.stop();
    expect(report.missingKey).toEqual([]);
    expect(report.missingIdentity).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.closes).toEqual([]);
    expect(report.sent.key).toBeGreaterThan(0);
  });

  it('still authenticates a legitimate client afterwards', async () => {
    const s = await HostileSocket.authenticated(url, await token('after', 'after'));
    expect(s.participantId).not.toBe('');
    s.close();
    await expectAlive();
  });
});
