// Finding 3: token lifetime. An expired token's socket is closed with 4002 when the token expires
// (not only at Hello); a token issued in the future is refused (4001); a token living longer than
// `maxTokenTtlSeconds` (default 24 h) is refused (4001). Plus expiry races: tokens that expire
// around the moment of their Hello never leave a socket open past their expiry.
import { CloseCode, FrameKind, RelayErrorCode } from '@semface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HostileRelay,
  HostileSocket,
  Rng,
  nowS,
  peekClaims,
  relayClaims,
  signJwt,
  startInProcessRelay,
} from './harness/index.js';

const DAY = 86_400;

/** Hello with `token`; resolves with Welcome or the close. */
async function tryHello(url: string, token: string) {
  const s = await HostileSocket.open(url);
  s.hello(token);
  const welcome = await s.next('welcome', () => true, 5_000);
  return { s, welcome, closed: welcome ? undefined : await s.waitClosed(5_000) };
}

describe('token lifetime', () => {
  let relay: HostileRelay;
  const open: HostileSocket[] = [];

  beforeAll(async () => {
    relay = await startInProcessRelay();
  });
  afterAll(async () => {
    for (const s of open) s.terminate();
    await relay.close();
  });

  it('closes a connected socket with 4002 when its token expires', async () => {
    const room = 'expiry';
    const watcher = await HostileSocket.joined(relay.url, await relay.token('watcher', room), room);
    open.push(watcher);
    const token = await relay.token('short-lived', room, { ttlSeconds: 2 });
    const exp = Number(peekClaims(token).exp) * 1000;
    const s = await HostileSocket.joined(relay.url, token, room);
    open.push(s);
    // Keeps publishing until the relay cuts it.
    let seq = 0;
    const timer = setInterval(
      () => s.send({ frame: { stream: 0, seq: seq++, kind: FrameKind.delta, payload: Uint8Array.of(1) } }),
      50,
    );
    const closed = await s.waitClosed(8_000);
    clearInterval(timer);
    expect(closed, 'socket still open 8 s after a 2 s token').toBeDefined();
    expect(closed!.code).toBe(CloseCode.tokenExpired);
    expect(closed!.at).toBeGreaterThanOrEqual(exp - 1_000);
    expect(s.errorCodes()).toContain(RelayErrorCode.tokenExpired);
    const left = await watcher.next('peerLeft', (e) => e.peerLeft!.participantId === s.participantId);
    expect(left).toBeDefined();
    // Nothing of the expired publisher reaches the room after its close.
    const afterClose = watcher
      .all('frame')
      .filter(
        (e) => e.frame!.participantId === s.participantId && Number(e.frame!.relayTimeUs) > exp * 1000 + 1e6,
      );
    expect(afterClose).toEqual([]);
  });

  it('refuses a token issued in the future (iat) with 4001', async () => {
    const token = await relay.token('from-the-future', 'r', { issuedAt: nowS() + 3600, ttlSeconds: 600 });
    const { welcome, closed } = await tryHello(relay.url, token);
    expect(welcome).toBeUndefined();
    expect(closed?.code).toBe(CloseCode.unauthorized);
  });

  it('accepts a few seconds of clock skew on iat', async () => {
    const token = await relay.token('skewed', 'r', { issuedAt: nowS() + 5, ttlSeconds: 600 });
    const { s, welcome } = await tryHello(relay.url, token);
    expect(welcome).toBeDefined();
    s.close();
  });

  it('refuses a token whose lifetime exceeds the default 24 h maximum with 4001', async () => {
    const long = await relay.token('long', 'r', { ttlSeconds: DAY + 3600 });
    const refused = await tryHello(relay.url, long);
    expect(refused.welcome).toBeUndefined();
    expect(refused.closed?.code).toBe(CloseCode.unauthorized);
    const year = await relay.token('year', 'r', { ttlSeconds: 365 * DAY });
    expect((await tryHello(relay.url, year)).closed?.code).toBe(CloseCode.unauthorized);
    // Exactly the maximum is fine.
    const ok = await tryHello(relay.url, await relay.token('day', 'r', { ttlSeconds: DAY }));
    expect(ok.welcome).toBeDefined();
    ok.s.close();
  });

  it('refuses a token without iat whose expiry is further away than the maximum', async () => {
    const claims = relayClaims({ sub: 'no-iat', exp: nowS() + 30 * DAY });
    // biome-ignore lint/performance/noDelete: the claim must be absent, not undefined
    delete claims.iat;
    const { closed } = await tryHello(relay.url, signJwt(relay.secret, { alg: 'HS256', typ: 'JWT' }, claims));
    expect(closed?.code).toBe(CloseCode.unauthorized);
  });

  it('honours a configured maxTokenTtlSeconds', async () => {
    const strict = await startInProcessRelay({ maxTokenTtlSeconds: 120 });
    try {
      const refused = await tryHello(strict.url, await strict.token('a', 'r', { ttlSeconds: 600 }));
      expect(refused.closed?.code).toBe(CloseCode.unauthorized);
      const ok = await tryHello(strict.url, await strict.token('b', 'r', { ttlSeconds: 60 }));
      expect(ok.welcome).toBeDefined();
      ok.s.close();
    } finally {
      await strict.close();
    }
  });

  it('never leaves a socket open past its token expiry when tokens expire around their Hello (race)', async () => {
    const rng = new Rng(0x7043e5);
    const room = 'race';
    const start = nowS();
    // 24 tokens expiring 0-3 s from now (issued 60 s ago), each used at a random moment in 0-3 s.
    const plans = Array.from({ length: 24 }, (_, i) => ({
      identity: `racer${i}`,
      exp: start + rng.int(4),
      delayMs: rng.int(3000),
    }));
    const outcomes = await Promise.all(
      plans.map(async (p) => {
        await new Promise((r) => setTimeout(r, p.delayMs));
        const token = signJwt(
          relay.secret,
          { alg: 'HS256', typ: 'JWT' },
          relayClaims({ sub: p.identity, room, iat: start - 60, exp: p.exp }),
        );
        const s = await HostileSocket.open(relay.url);
        open.push(s);
        s.hello(token);
        s.send({ join: { room } });
        const closed = await s.waitClosed((p.exp - nowS()) * 1000 + 4_000);
        return { p, closed, welcomed: s.all('welcome').length > 0, errors: s.errorCodes() };
      }),
    );
    for (const o of outcomes) {
      expect(o.closed, `${o.p.identity} (exp ${o.p.exp}) still open`).toBeDefined();
      expect(o.closed!.code, `${o.p.identity}`).toBe(CloseCode.tokenExpired);
      for (const e of o.errors)
        expect([RelayErrorCode.tokenExpired, RelayErrorCode.rateLimited]).toContain(e);
    }
    // The relay is fine afterwards.
    const s = await HostileSocket.authenticated(relay.url, await relay.token('after-race', room));
    s.close();
  });
});
