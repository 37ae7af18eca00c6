import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  type Bus,
  BusError,
  NatsBus,
  RedisBus,
  createBus,
  createRelayServer,
  redactBusUrl,
  relayOptionsFromArgs,
  resolveRelayOptions,
} from '@semface/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsLib, waitFor } from './helpers/cluster.js';
import { hasService, startService, stopService, testPort } from './helpers/services.js';
import { TestClient } from './helpers/test-client.js';

const pino = createRequire(new URL('../../packages/server/package.json', import.meta.url))(
  'pino',
) as typeof import('pino');

const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const TOKEN = `tok-${randomBytes(8).toString('hex')}`;

/** Publishes until `sub` sees a message on room `r` (subscriptions propagate asynchronously). */
async function roundTrip(pub: Bus, sub: Bus, r: string): Promise<void> {
  let got = 0;
  await sub.subscribe(r, () => got++);
  await waitFor(() => {
    pub.publish(r, new Uint8Array([1]));
    return got > 0;
  }, 'bus round trip');
}

/** Connects, expecting a BusError that does not leak any of `secrets`. */
async function refused(connect: () => Promise<Bus>, ...secrets: string[]): Promise<BusError> {
  const err = await connect().then(
    (bus) => {
      void bus.close();
      throw new Error('bus connected without valid credentials');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BusError);
  const e = err as BusError;
  expect(e.code).toBe('SEMFACE_ERR_SERVER_BUS');
  for (const s of secrets) expect(`${e.message} ${String(e.cause)}`).not.toContain(s);
  return e;
}

describe.skipIf(!hasService('nats'))('NATS bus authentication', () => {
  const userPort = testPort(32000);
  const tokenPort = userPort + 1;
  const nkeyPort = userPort + 2;
  const kp = natsLib.nkeys.createUser();
  const seed = new TextDecoder().decode(kp.getSeed());
  const url = (port: number) => `nats://127.0.0.1:${port}`;
  const opened: Bus[] = [];
  const open = async (p: Promise<Bus>) => {
    const b = await p;
    opened.push(b);
    return b;
  };

  beforeAll(() => {
    startService('nats', userPort, { user: 'relay', pass: PASSWORD });
    startService('nats', tokenPort, { token: TOKEN });
    startService('nats', nkeyPort, { nkey: kp.getPublicKey() });
  });
  afterAll(async () => {
    for (const b of opened) await b.close();
    for (const p of [userPort, tokenPort, nkeyPort]) stopService('nats', p);
  });

  it('refuses clients without or with wrong credentials, without echoing them', async () => {
    await refused(() => NatsBus.connect({ servers: url(userPort) }));
    await refused(
      () => NatsBus.connect({ servers: url(userPort), credentials: { user: 'relay', password: 'nope-123' } }),
      'nope-123',
    );
    await refused(
      () => NatsBus.connect({ servers: `nats://relay:bad-pw-77@127.0.0.1:${userPort}` }),
      'bad-pw-77',
    );
    await refused(() => NatsBus.connect({ servers: url(tokenPort) }));
    await refused(
      () => NatsBus.connect({ servers: url(tokenPort), credentials: { token: 'x-wrong-x' } }),
      'x-wrong-x',
    );
    await refused(() => NatsBus.connect({ servers: url(nkeyPort) }));
    const other = new TextDecoder().decode(natsLib.nkeys.createUser().getSeed());
    await refused(() => NatsBus.connect({ servers: url(nkeyPort), credentials: { nkeySeed: other } }), other);
  });

  it('connects with user/password (options or URL), token (options or URL) and nkey seed', async () => {
    const viaOptions = await open(createBus(url(userPort), { user: 'relay', password: PASSWORD }));
    const viaUrl = await open(createBus(`nats://relay:${PASSWORD}@127.0.0.1:${userPort}`));
    await roundTrip(viaOptions, viaUrl, 'auth1');
    const tokenOpt = await open(createBus(url(tokenPort), { token: TOKEN }));
    const tokenUrl = await open(createBus(`nats://${TOKEN}@127.0.0.1:${tokenPort}`));
    await roundTrip(tokenUrl, tokenOpt, 'auth2');
    const nk1 = await open(createBus(url(nkeyPort), { nkeySeed: seed }));
    const nk2 = await open(createBus(url(nkeyPort), { nkeySeed: seed }));
    await roundTrip(nk1, nk2, 'auth3');
  });

  it('never logs bus credentials, whether they work or not', async () => {
    const lines: string[] = [];
    const logger = pino.pino({ level: 'trace' }, { write: (s: string) => void lines.push(s) });
    const secret = randomBytes(32).toString('hex');
    const server = createRelayServer({
      tokenSecret: secret,
      port: 0,
      logger,
      busUrl: `nats://relay:${PASSWORD}@127.0.0.1:${userPort}`,
    });
    const addr = await server.start();
    const { mintToken } = await import('@semface/server');
    const c = await TestClient.joined(addr.url, await mintToken(secret, { identity: 'a', room: 'r' }), 'r');
    c.close();
    await server.close();
    const bad = createRelayServer({
      tokenSecret: secret,
      port: 0,
      logger,
      busUrl: url(userPort),
      busUser: 'relay',
      busPassword: 'wrong-and-secret',
    });
    const err = await bad.start().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(BusError);
    expect(err!.message).not.toContain('wrong-and-secret');
    await bad.close();
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('wrong-and-secret');
  });
});

describe.skipIf(!hasService('redis'))('Redis bus authentication', () => {
  const aclPort = testPort(34000);
  const passPort = aclPort + 1;
  const url = (port: number) => `redis://127.0.0.1:${port}`;
  const opened: Bus[] = [];
  const open = async (p: Promise<Bus>) => {
    const b = await p;
    opened.push(b);
    return b;
  };

  beforeAll(() => {
    startService('redis', aclPort, { user: 'relay', pass: PASSWORD });
    startService('redis', passPort, { pass: PASSWORD });
  });
  afterAll(async () => {
    for (const b of opened) await b.close();
    stopService('redis', aclPort);
    stopService('redis', passPort);
  });

  it('refuses clients without or with wrong credentials, without echoing them', async () => {
    const e = await refused(() => RedisBus.connect({ url: url(aclPort) }));
    // The cause is named (NOAUTH / WRONGPASS), not just "connection closed".
    expect(e.message).toMatch(/NOAUTH|WRONGPASS|auth/i);
    await refused(
      () => RedisBus.connect({ url: url(aclPort), credentials: { user: 'relay', password: 'nope-456' } }),
      'nope-456',
    );
    await refused(
      () => RedisBus.connect({ url: `redis://relay:bad-pw-88@127.0.0.1:${aclPort}` }),
      'bad-pw-88',
    );
    await refused(() => RedisBus.connect({ url: url(passPort) }));
  });

  it('connects as an ACL user (options or URL) and with a requirepass password', async () => {
    const viaOptions = await open(createBus(url(aclPort), { user: 'relay', password: PASSWORD }));
    const viaUrl = await open(createBus(`redis://relay:${PASSWORD}@127.0.0.1:${aclPort}`));
    await roundTrip(viaOptions, viaUrl, 'auth4');
    const p1 = await open(createBus(url(passPort), { password: PASSWORD }));
    const p2 = await open(createBus(`redis://:${PASSWORD}@127.0.0.1:${passPort}`));
    await roundTrip(p1, p2, 'auth5');
  });
});

describe('bus credential options', () => {
  const tokenSecret = randomBytes(32).toString('hex');
  const bad = (o: Record<string, unknown>) => () => resolveRelayOptions({ tokenSecret, ...o });

  it('rejects combinations that cannot work, without putting secrets in the message', () => {
    const cases: Array<Record<string, unknown>> = [
      { busUrl: 'redis://h:6379', busToken: 'tok-secret-1' },
      { busUrl: 'redis://h:6379', busNkeySeed: 'SUtok-secret-1' },
      { busUrl: 'nats://h:4222', busUser: 'u' },
      { busUrl: 'nats://h:4222', busPassword: 'tok-secret-1' },
      { busUrl: 'nats://h:4222', busUser: 'u', busPassword: 'tok-secret-1', busToken: 't' },
      { busUrl: 'nats://u:tok-secret-1@h:4222', busUser: 'u', busPassword: 'x' },
      { busUrl: 'memory', busPassword: 'tok-secret-1' },
      { busUrl: 'nats://h:4222', busNkeySeed: 'tok-secret-1' },
      { busSecret: 'tok-secret-1' },
      { clusterHeartbeatMs: 1000, nodeTimeoutMs: 1500 },
    ];
    for (const c of cases) {
      expect(bad(c)).toThrow(RangeError);
      try {
        bad(c)();
      } catch (e) {
        expect((e as Error).message).not.toContain('tok-secret-1');
      }
    }
    expect(bad({ busPassword: 42 })).toThrow(TypeError);
    expect(bad({ busUrl: 'nast://u:tok-secret-1@h' })).toThrow(/\*\*\*/);
  });

  it('accepts each method and reads them from the environment', () => {
    const seed = new TextDecoder().decode(natsLib.nkeys.createUser().getSeed());
    expect(() => resolveRelayOptions({ tokenSecret, busUrl: 'nats://h:1', busNkeySeed: seed })).not.toThrow();
    expect(() => resolveRelayOptions({ tokenSecret, busUrl: 'nats://h:1', busToken: 't' })).not.toThrow();
    expect(() => resolveRelayOptions({ tokenSecret, busUrl: 'redis://h:1', busPassword: 'p' })).not.toThrow();
    expect(() =>
      resolveRelayOptions({ tokenSecret, busUrl: 'redis://u:p@h:1', busSecret: tokenSecret }),
    ).not.toThrow();
    const o = relayOptionsFromArgs(['--node-timeout-ms', '5000'], {
      SEMFACE_RELAY_BUS_USER: 'u',
      SEMFACE_RELAY_BUS_PASSWORD: 'p',
      SEMFACE_RELAY_BUS_TOKEN: '',
      SEMFACE_RELAY_BUS_SECRET: tokenSecret,
      SEMFACE_RELAY_CLUSTER_HEARTBEAT_MS: '500',
    });
    expect(o).toMatchObject({
      busUser: 'u',
      busPassword: 'p',
      busSecret: tokenSecret,
      clusterHeartbeatMs: 500,
      nodeTimeoutMs: 5000,
    });
    expect(o.busToken).toBeUndefined();
    expect(redactBusUrl('nats://u:p@h:4222')).toBe('nats://***@h:4222');
  });
});
