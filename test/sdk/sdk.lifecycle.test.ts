import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { CloseCode, RelayErrorCode } from '@semface/protocol';
import { AbortedError, RelayError, type Room, RoomDisposedError, TimeoutError, connect } from '@semface/sdk';
import { mintToken } from '@semface/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type TestRelay,
  fixtureCodec,
  makeDescriptor,
  nextEvent,
  record,
  startRelay,
  until,
} from './helpers.js';

/** An HTTP server that accepts connections and never answers the WebSocket upgrade. */
async function silentServer() {
  const server = createServer();
  const sockets = new Set<Duplex>();
  server.on('upgrade', (_req, socket: Duplex) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/v1/relay`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('SDK connection lifecycle', () => {
  let relay: TestRelay;
  const rooms: Room[] = [];

  beforeAll(async () => {
    relay = await startRelay();
  });
  afterEach(() => {
    for (const r of rooms.splice(0)) r.dispose();
  });
  afterAll(async () => {
    await relay.server.close();
  });

  it('rejects a bad token with a RelayError carrying the relay close code, without retrying', async () => {
    const forged = await mintToken('x'.repeat(40), { identity: 'eve', room: 'r' });
    const err = await connect(relay.url, { token: forged, codec: await fixtureCodec() }).catch((e) => e);
    expect(err).toBeInstanceOf(RelayError);
    expect(err).toMatchObject({
      code: 'SEMFACE_ERR_SDK_RELAY',
      relayCode: RelayErrorCode.unauthorized,
      closeCode: CloseCode.unauthorized,
    });
    const garbage = await connect(relay.url, { token: 'not.a.jwt' }).catch((e) => e);
    expect(garbage).toMatchObject({ closeCode: CloseCode.unauthorized });
  });

  it('rejects an expired token and a room the token does not grant with their close codes', async () => {
    const expired = await mintToken(relay.secret, {
      identity: 'old',
      room: 'r',
      ttlSeconds: 60,
      issuedAt: Math.floor(Date.now() / 1000) - 3600,
    });
    await expect(connect(relay.url, { token: expired })).rejects.toMatchObject({
      relayCode: RelayErrorCode.tokenExpired,
      closeCode: CloseCode.tokenExpired,
    });
    const token = await relay.token('x', 'only-this');
    await expect(connect(relay.url, { token, room: 'other' })).rejects.toMatchObject({
      relayCode: RelayErrorCode.forbidden,
      closeCode: CloseCode.forbidden,
    });
  });

  it('validates options with TypeError and RangeError', async () => {
    const token = await relay.token('o');
    await expect(connect(relay.url, { token, keyFrameInterval: -1 })).rejects.toThrow(RangeError);
    await expect(connect(relay.url, { token, coder: 'zip' as never })).rejects.toThrow(RangeError);
    await expect(connect(relay.url, { token, pingIntervalMs: 'x' as never })).rejects.toThrow(TypeError);
    await expect(connect(relay.url, { token, bogus: 1 } as never)).rejects.toThrow(TypeError);
    await expect(connect(relay.url, { token, reconnect: { factor: 0 } })).rejects.toThrow(RangeError);
    await expect(connect('ftp://example.org', { token })).rejects.toThrow(RangeError);
    await expect(connect(relay.url, { token: 42 as never })).rejects.toThrow(TypeError);
  });

  it('cancels connect through an AbortSignal', async () => {
    const token = await relay.token('a');
    const pre = new AbortController();
    pre.abort();
    await expect(connect(relay.url, { token, signal: pre.signal })).rejects.toThrow(AbortedError);

    const silent = await silentServer();
    try {
      const ctl = new AbortController();
      const pending = connect(silent.url, { token, signal: ctl.signal, connectTimeoutMs: 60_000 });
      setTimeout(() => ctl.abort(), 50);
      const err = await pending.catch((e) => e);
      expect(err).toBeInstanceOf(AbortedError);
      expect(err.code).toBe('SEMFACE_ERR_SDK_ABORTED');
    } finally {
      await silent.close();
    }
  });

  it('fails connect with TimeoutError when the relay does not answer', async () => {
    const silent = await silentServer();
    try {
      const err = await connect(silent.url, { token: 't', connectTimeoutMs: 100 }).catch((e) => e);
      expect(err).toBeInstanceOf(TimeoutError);
    } finally {
      await silent.close();
    }
  });

  it('disposes when the signal aborts after connect', async () => {
    const ctl = new AbortController();
    const r = await connect(relay.url, { token: await relay.token('s', 'abort'), signal: ctl.signal });
    const peer = await connect(relay.url, { token: await relay.token('peer', 'abort') });
    rooms.push(peer);
    const left = nextEvent(peer, 'participantLeft');
    const down = nextEvent(r, 'disconnected');
    ctl.abort();
    expect(await down).toMatchObject({ reason: 'disposed', error: undefined });
    expect(r.state).toBe('disposed');
    expect((await left).identity).toBe('s');
  });

  it('dispose is idempotent, fires disconnected once and makes later calls fail', async () => {
    const r = await connect(relay.url, {
      token: await relay.token('d', 'dispose'),
      codec: await fixtureCodec(),
    });
    const downs = record(r, 'disconnected');
    r.dispose();
    r.dispose();
    expect(downs).toHaveLength(1);
    expect(r.state).toBe('disposed');
    expect(() => r.on('descriptor', () => {})).not.toThrow();
    await expect(r.publish(makeDescriptor(1))).rejects.toThrow(RoomDisposedError);
    await expect(r.join('x')).rejects.toThrow(RoomDisposedError);
    expect(() => r.ping()).toThrow(RoomDisposedError);
    r.dispose();
    expect(downs).toHaveLength(1);
  });

  it('calls a token function on every connect', async () => {
    let calls = 0;
    const r = await connect(relay.url, {
      token: async () => {
        calls++;
        return relay.token('fn', 'fn');
      },
    });
    rooms.push(r);
    expect(calls).toBe(1);
    expect(r.identity).toBe('fn');
    expect(r.name).toBe('fn');
  });

  it('does not reconnect when the relay closes the room for good', async () => {
    const r = await connect(relay.url, {
      token: await relay.token('g', 'gone'),
      reconnect: { initialDelayMs: 10, maxDelayMs: 20, maxRetries: 2 },
    });
    rooms.push(r);
    const reconnecting = record(r, 'reconnecting');
    const down = nextEvent(r, 'disconnected');
    // A token for one room asking for another is refused with 4003 (forbidden): terminal.
    await expect(r.join('elsewhere')).rejects.toMatchObject({ closeCode: CloseCode.forbidden });
    const info = await down;
    expect(info.closeCode).toBe(CloseCode.forbidden);
    expect(info.error).toMatchObject({ relayCode: RelayErrorCode.forbidden, fatal: true });
    expect(reconnecting).toHaveLength(0);
    await until(() => r.state === 'disposed', 'disposed');
  });
});
