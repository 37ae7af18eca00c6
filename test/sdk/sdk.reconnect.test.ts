import { randomBytes } from 'node:crypto';
import { CloseCode } from '@semface/protocol';
import { ConnectError, type DescriptorEvent, ReconnectFailedError, type Room, connect } from '@semface/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FIXTURE_MAX_ERROR,
  type TestRelay,
  fixtureCodec,
  makeDescriptor,
  maxCarriedError,
  nextEvent,
  record,
  startRelay,
  until,
} from './helpers.js';

const fast = { initialDelayMs: 20, maxDelayMs: 100, factor: 2, maxRetries: 200 };

describe('SDK reconnects', () => {
  const rooms: Room[] = [];
  const relays: TestRelay[] = [];
  afterEach(async () => {
    for (const r of rooms.splice(0)) r.dispose();
    for (const r of relays.splice(0)) await r.server.close();
  });

  it('rejoins after the relay restarts on the same port, resyncs with key frames, and descriptors flow again', async () => {
    const secret = randomBytes(32).toString('hex');
    const first = await startRelay({}, secret);
    const codec = await fixtureCodec();
    const open = async (identity: string) => {
      const r = await connect(first.url, {
        token: await first.token(identity, 'restart'),
        codec,
        // The resync check below uses the intra codec's per-frame error bound on random descriptors.
        coding: 'intra',
        reconnect: fast,
      });
      rooms.push(r);
      return r;
    };
    const pub = await open('pub');
    const sub = await open('sub');
    const got = record(sub, 'descriptor');
    for (let k = 0; k < 3; k++) await pub.publish(makeDescriptor(k));
    await until(() => got.length === 3, 'frames before the restart');
    const oldPubId = pub.participantId;

    const subDropped = nextEvent(sub, 'reconnecting');
    const pubBack = nextEvent(pub, 'reconnected');
    const subBack = nextEvent(sub, 'reconnected');
    await first.server.close();
    expect((await subDropped).closeCode).toBe(CloseCode.goingAway);
    expect(sub.state).toBe('reconnecting');
    // Publishing while the link is down sends nothing (and is not an error).
    expect(await pub.publish(makeDescriptor(3))).toBeNull();

    const second = await startRelay({ port: first.port }, secret);
    relays.push(second);
    await Promise.all([pubBack, subBack]);
    expect(pub.state).toBe('connected');
    expect(pub.participantId).not.toBe(oldPubId);
    await until(() => sub.participants.has(pub.participantId), 'publisher in the rejoined room');

    // Resync: the publisher re-sends its last descriptor as a key frame on the new link.
    await until(() => got.some((e) => e.participantId === pub.participantId), 'resync key frame');
    const resync = got.find((e) => e.participantId === pub.participantId)!;
    expect(resync.kind).toBe('key');
    expect(maxCarriedError(makeDescriptor(3), resync.descriptor, 'full')).toBeLessThanOrEqual(
      FIXTURE_MAX_ERROR,
    );

    // The next frame is a delta, or a key frame if the subscriber's resync request came after the re-sent key.
    const sent = await pub.publish(makeDescriptor(4));
    expect(sent).not.toBeNull();
    const isNext = (e: DescriptorEvent) => e.participantId === pub.participantId && e.seq === sent!.seq;
    await until(() => got.some(isNext), 'the next frame');
    const ev = got.find(isNext)!;
    expect(ev.kind).toBe(sent!.kind);
    expect(maxCarriedError(makeDescriptor(4), ev.descriptor, 'full')).toBeLessThanOrEqual(FIXTURE_MAX_ERROR);
  });

  it('gives up after maxRetries with a fatal ReconnectFailedError', async () => {
    const relay = await startRelay();
    const r = await connect(relay.url, {
      token: await relay.token('quitter', 'q'),
      reconnect: { initialDelayMs: 5, maxDelayMs: 10, maxRetries: 3 },
    });
    rooms.push(r);
    const attempts = record(r, 'reconnecting');
    const errors = record(r, 'error');
    const down = nextEvent(r, 'disconnected');
    await relay.server.close();
    const info = await down;
    expect(info.error).toBeInstanceOf(ReconnectFailedError);
    expect(info.error).toMatchObject({ code: 'SEMFACE_ERR_SDK_RECONNECT_FAILED', fatal: true, attempts: 3 });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(errors).toEqual([info.error]);
    expect(r.state).toBe('disposed');
  });

  it('with reconnect: false ends the room when the link drops', async () => {
    const relay = await startRelay();
    const r = await connect(relay.url, { token: await relay.token('once', 'q2'), reconnect: false });
    rooms.push(r);
    const attempts = record(r, 'reconnecting');
    const down = nextEvent(r, 'disconnected');
    await relay.server.close();
    const info = await down;
    expect(info.closeCode).toBe(CloseCode.goingAway);
    expect(info.error).toBeInstanceOf(ConnectError);
    expect(attempts).toHaveLength(0);
  });

  it('dispose during back-off stops reconnecting', async () => {
    const relay = await startRelay();
    const r = await connect(relay.url, {
      token: await relay.token('stopper', 'q3'),
      reconnect: { initialDelayMs: 50, maxDelayMs: 50, maxRetries: Infinity },
    });
    const attempts = record(r, 'reconnecting');
    const first = nextEvent(r, 'reconnecting');
    await relay.server.close();
    await first;
    r.dispose();
    const seen = attempts.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.state).toBe('disposed');
    expect(attempts).toHaveLength(seen);
  });
});
