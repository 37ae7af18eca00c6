import { CloseCode, FrameKind, RelayErrorCode, encodeEnvelope } from '@semface/protocol';
import { type RelayServer, mintToken } from '@semface/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay } from './helpers/relay-fixture.js';
import { TestClient } from './helpers/test-client.js';

describe('relay over real sockets', () => {
  let server: RelayServer;
  let url: string;
  let http: string;
  let secret: string;
  let token: Awaited<ReturnType<typeof startRelay>>['token'];
  const clients: TestClient[] = [];
  const track = (c: TestClient) => {
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    ({ server, url, http, secret, token } = await startRelay({ helloTimeoutMs: 300, maxMessageBytes: 4096 }));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('fans frames out to every other member and tags the publisher', async () => {
    const pub = track(await TestClient.joined(url, await token('alice', 'fan'), 'fan'));
    const subs = await Promise.all(
      ['bob', 'carol', 'dave'].map(async (n) =>
        track(await TestClient.joined(url, await token(n, 'fan'), 'fan')),
      ),
    );
    for (let seq = 0; seq < 10; seq++) pub.frame({ seq, kind: seq === 0 ? FrameKind.key : FrameKind.delta });
    for (const s of subs) {
      await s.until(() => s.all('frame').length === 10, 'ten frames');
      const frames = s.all('frame').map((e) => e.frame!);
      expect(frames.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(frames.every((f) => f.participantId === pub.participantId)).toBe(true);
      expect(frames[0]!.relayTimeUs).toBeGreaterThan(0);
    }
    expect(pub.all('frame')).toHaveLength(0);
  });

  it('announces peers and gives a late joiner the identity and key frames first', async () => {
    const pub = track(await TestClient.joined(url, await token('pub', 'late'), 'late'));
    pub.frame({ seq: 0, kind: FrameKind.identity, payload: new Uint8Array([9, 9]) });
    pub.frame({ seq: 1, kind: FrameKind.key, payload: new Uint8Array([7]) });
    for (let seq = 2; seq < 6; seq++) pub.frame({ seq, kind: FrameKind.delta });
    // Make sure the relay handled the frames before the late joiner arrives.
    pub.send({ ping: { nonce: 1 } });
    await pub.next('pong');
    const late = track(await TestClient.joined(url, await token('late', 'late'), 'late'));
    const joined = late.all('joined')[0]!.joined!;
    expect(joined.peers!.map((p) => p.identity)).toEqual(['pub']);
    await late.until(() => late.all('frame').length >= 2, 'cached frames');
    const first = late
      .all('frame')
      .slice(0, 2)
      .map((e) => e.frame!.kind);
    expect(first).toEqual([FrameKind.identity, FrameKind.key]);
    const peerJoined = await pub.next('peerJoined');
    expect(peerJoined.peerJoined!.peer!.identity).toBe('late');
    late.close();
    const left = await pub.next('peerLeft');
    expect(left.peerLeft!.participantId).toBe(late.participantId);
  });

  it('routes key-frame requests from a subscriber to the publisher', async () => {
    const pub = track(await TestClient.joined(url, await token('p', 'kfr'), 'kfr'));
    const sub = track(await TestClient.joined(url, await token('s', 'kfr'), 'kfr'));
    sub.send({ keyFrameRequest: { participantId: pub.participantId, stream: 3 } });
    const req = await pub.next('keyFrameRequest');
    expect(req.keyFrameRequest!.stream).toBe(3);
    expect(req.keyFrameRequest!.requesterId).toBe(sub.participantId);
    sub.send({ keyFrameRequest: { participantId: 'nobody', stream: 0 } });
    expect((await sub.next('error')).error!.code).toBe(RelayErrorCode.notInRoom);
  });

  it('rejects bad, expired and missing tokens with their close codes', async () => {
    const garbage = track(await TestClient.open(url));
    garbage.send({ hello: { protocolVersion: 1, token: 'not.a.jwt' } });
    const e1 = await garbage.next('error');
    expect(e1.error!.code).toBe(RelayErrorCode.unauthorized);
    expect((await garbage.closed).code).toBe(CloseCode.unauthorized);

    const wrongSecret = await mintToken('x'.repeat(40), { identity: 'eve', room: 'r' });
    const forged = track(await TestClient.open(url));
    forged.send({ hello: { protocolVersion: 1, token: wrongSecret } });
    expect((await forged.closed).code).toBe(CloseCode.unauthorized);

    const expired = await mintToken(secret, {
      identity: 'old',
      room: 'r',
      ttlSeconds: 60,
      issuedAt: Math.floor(Date.now() / 1000) - 3600,
    });
    const late = track(await TestClient.open(url));
    late.send({ hello: { protocolVersion: 1, token: expired } });
    expect((await late.next('error')).error!.code).toBe(RelayErrorCode.tokenExpired);
    expect((await late.closed).code).toBe(CloseCode.tokenExpired);

    const missing = track(await TestClient.open(url));
    missing.send({ hello: { protocolVersion: 1 } });
    expect((await missing.closed).code).toBe(CloseCode.unauthorized);

    const version = track(await TestClient.open(url));
    // Hello names the newest version the client speaks; only versions below the relay's oldest fail.
    version.send({ hello: { protocolVersion: 0, token: await token('v') } });
    expect((await version.closed).code).toBe(CloseCode.unsupportedVersion);

    const silent = track(await TestClient.open(url));
    expect((await silent.closed).code).toBe(CloseCode.helloTimeout);
  });

  it('enforces room and publish grants', async () => {
    const c = track(await TestClient.open(url));
    await c.hello(await token('x', 'only-this'));
    c.send({ join: { room: 'other' } });
    expect((await c.next('error')).error!.code).toBe(RelayErrorCode.forbidden);
    expect((await c.closed).code).toBe(CloseCode.forbidden);

    const viewer = track(await TestClient.joined(url, await token('v', 'g', { canPublish: false }), 'g'));
    viewer.frame({ seq: 1 });
    expect((await viewer.next('error')).error!.code).toBe(RelayErrorCode.forbidden);
    const notJoined = track(await TestClient.open(url));
    await notJoined.hello(await token('n', 'g'));
    notJoined.frame({ seq: 1 });
    expect((await notJoined.next('error')).error!.code).toBe(RelayErrorCode.notInRoom);
  });

  it('answers malformed, unknown, invalid and oversize messages without harming others', async () => {
    const bad = track(await TestClient.joined(url, await token('bad', 'harm'), 'harm'));
    const pub = track(await TestClient.joined(url, await token('good', 'harm'), 'harm'));
    const sub = track(await TestClient.joined(url, await token('watcher', 'harm'), 'harm'));

    bad.sendRaw(new Uint8Array([0x42, 0xff, 0xff, 0xff, 0xff]));
    expect((await bad.next('error')).error!.code).toBe(RelayErrorCode.malformed);
    bad.sendRaw('text is not protocol');
    expect((await bad.next('error')).error!.code).toBe(RelayErrorCode.malformed);
    bad.sendRaw(new Uint8Array(0));
    expect((await bad.next('error')).error!.code).toBe(RelayErrorCode.unknownMessage);
    bad.send({ welcome: { participantId: 'fake' } });
    expect((await bad.next('error')).error!.code).toBe(RelayErrorCode.unknownMessage);
    bad.frame({ seq: 1, kind: 0 });
    expect((await bad.next('error')).error!.code).toBe(RelayErrorCode.invalidFrame);
    bad.frame({ seq: 1, payload: new Uint8Array(5000) });
    const tooLarge = (await bad.next('error')).error!;
    expect(tooLarge.code).toBe(RelayErrorCode.messageTooLarge);
    expect(tooLarge.closeCode).toBe(0);

    pub.frame({ seq: 42, kind: FrameKind.key });
    const got = await sub.next('frame');
    expect(got.frame!.seq).toBe(42);
    expect(sub.all('error')).toHaveLength(0);
    // The misbehaving client is still served.
    bad.send({ ping: { nonce: 5 } });
    expect((await bad.next('pong')).pong!.nonce).toBe(5);
  });

  it('closes with 1009 above the hard WebSocket limit, others unaffected', async () => {
    const big = track(await TestClient.joined(url, await token('big', 'hard'), 'hard'));
    const other = track(await TestClient.joined(url, await token('other', 'hard'), 'hard'));
    big.sendRaw(encodeEnvelope({ frame: { kind: 2, payload: new Uint8Array(300 * 1024) } }));
    expect((await big.closed).code).toBe(CloseCode.messageTooBig);
    other.send({ ping: { nonce: 2 } });
    expect((await other.next('pong')).pong!.nonce).toBe(2);
  });

  it('serves health, readiness and Prometheus metrics; dev tokens are off by default', async () => {
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    const m = await (await fetch(`${http}/metrics`)).text();
    expect(m).toMatch(/semface_relay_frames_in_total\{kind="key"\} \d+/);
    expect(m).toContain('semface_relay_latency_seconds_bucket');
    expect(m).toMatch(/semface_relay_errors_total\{code="SEMFACE_ERR_RELAY_MALFORMED"\} [1-9]/);
    expect((await fetch(`${http}/v1/dev/token`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${http}/nope`)).status).toBe(404);
  });
});

describe('relay lifecycle', () => {
  it('mints dev tokens when enabled and drains on shutdown with 1001', async () => {
    const { server, url, http } = await startRelay({ devTokenEndpoint: true });
    const res = await fetch(`${http}/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: 'dev', room: 'd' }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const a = await TestClient.joined(url, token, 'd');
    const b = await TestClient.joined(url, token, 'd');
    a.frame({ seq: 1, kind: FrameKind.key });
    await b.next('frame');
    const closing = server.close();
    expect((await a.closed).code).toBe(CloseCode.goingAway);
    expect((await b.closed).code).toBe(CloseCode.goingAway);
    await closing;
  });

  it('validates options at construction', async () => {
    const { createRelayServer } = await import('@semface/server');
    expect(() => createRelayServer({ tokenSecret: 'short' })).toThrow(RangeError);
    expect(() => createRelayServer({ tokenSecret: 'y'.repeat(32), port: 70000 })).toThrow(RangeError);
    expect(() => createRelayServer({ tokenSecret: 'y'.repeat(32), port: '80' as unknown as number })).toThrow(
      TypeError,
    );
    expect(() => createRelayServer({ tokenSecret: 'y'.repeat(32), busUrl: 'kafka://x' })).toThrow(RangeError);
  });
});
