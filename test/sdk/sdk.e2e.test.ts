import { FrameKind, RelayErrorCode } from '@semface/protocol';
import {
  type DescriptorEvent,
  FrameDecodeError,
  InvalidDescriptorError,
  NotAllowedError,
  NotJoinedError,
  type Room,
  connect,
} from '@semface/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../relay/helpers/test-client.js';
import {
  FIXTURE_MAX_ERROR,
  type TestRelay,
  fixtureCodec,
  makeDescriptor,
  maxCarriedError,
  maxOutsideProfile,
  nextEvent,
  record,
  startRelay,
  until,
} from './helpers.js';

// These tests check the intra coding (per-frame error bound on unrelated random descriptors, key/delta
// pattern in frames); the temporal coding, the default, has its own tests in sdk.temporal.test.ts.
describe('SDK over a real relay (intra coding)', () => {
  let relay: TestRelay;
  const rooms: Room[] = [];
  const raw: TestClient[] = [];

  async function join(identity: string, room: string, extra: Parameters<TestRelay['token']>[2] = {}) {
    const r = await connect(relay.url, {
      token: await relay.token(identity, room, extra),
      codec: await fixtureCodec(),
      coding: 'intra',
    });
    rooms.push(r);
    return r;
  }

  beforeAll(async () => {
    relay = await startRelay();
  });
  afterEach(() => {
    for (const r of rooms.splice(0)) r.dispose();
    for (const c of raw.splice(0)) c.close();
  });
  afterAll(async () => {
    await relay.server.close();
  });

  it('two clients exchange descriptors that decode within the codec error bound', async () => {
    const alice = await join('alice', 'pair');
    const bob = await join('bob', 'pair');
    expect(alice.name).toBe('pair');
    expect([...bob.participants.values()].map((p) => p.identity)).toEqual(['alice']);
    const atAlice = record(alice, 'descriptor');
    const atBob = record(bob, 'descriptor');
    const sent = [0, 1, 2, 3].map((k) => makeDescriptor(k));
    const fromAlice = [];
    for (const d of sent) fromAlice.push(await alice.publish(d));
    await bob.publish(makeDescriptor(99), { profile: 'expression', stream: 4 });
    await until(() => atBob.length === 4 && atAlice.length === 1, 'descriptors both ways');

    expect(fromAlice.map((f) => f?.kind)).toEqual(['key', 'delta', 'delta', 'delta']);
    atBob.forEach((ev, k) => {
      expect(ev).toMatchObject({
        participantId: alice.participantId,
        identity: 'alice',
        stream: 0,
        seq: k,
        kind: k === 0 ? 'key' : 'delta',
        profile: 'full',
      });
      expect(ev.bits).toBeGreaterThan(0);
      expect(ev.latencyMs).toBeGreaterThanOrEqual(0);
      expect(maxCarriedError(sent[k]!, ev.descriptor, 'full')).toBeLessThanOrEqual(FIXTURE_MAX_ERROR);
    });
    const ev = atAlice[0]!;
    expect(ev).toMatchObject({ identity: 'bob', stream: 4, profile: 'expression', kind: 'key' });
    expect(maxCarriedError(makeDescriptor(99), ev.descriptor, 'expression')).toBeLessThanOrEqual(
      FIXTURE_MAX_ERROR,
    );
    expect(maxOutsideProfile(ev.descriptor, 'expression')).toBe(0);
  });

  it('carries a partial profile through the full model with partialProfileModel full', async () => {
    const codec = await fixtureCodec();
    const sender = await connect(relay.url, {
      token: await relay.token('carol', 'partial'),
      codec,
      coding: 'intra',
      partialProfileModel: 'full',
    });
    rooms.push(sender);
    const receiver = await join('dave', 'partial');
    const got = record(receiver, 'descriptor');
    const d = makeDescriptor(5);
    const sent = await sender.publish(d, { profile: 'identity', stream: 2 });
    expect(sent?.modelId).toBe(codec.paramsFor({ profile: 'full' }).modelId);
    await until(() => got.length === 1, 'the identity-profile frame');
    expect(got[0]).toMatchObject({
      identity: 'carol',
      stream: 2,
      profile: 'identity',
      modelId: sent?.modelId,
    });
    expect(maxCarriedError(d, got[0]!.descriptor, 'identity')).toBeLessThanOrEqual(FIXTURE_MAX_ERROR);
    expect(maxOutsideProfile(got[0]!.descriptor, 'identity')).toBe(0);
  });

  it('reports joins and leaves of other participants', async () => {
    const a = await join('a', 'presence');
    const joined = nextEvent(a, 'participantJoined');
    const b = await join('b', 'presence');
    expect(await joined).toMatchObject({ participantId: b.participantId, identity: 'b', canPublish: true });
    const left = nextEvent(a, 'participantLeft');
    b.dispose();
    expect(await left).toMatchObject({ participantId: b.participantId, identity: 'b', reason: 'close' });
    expect(a.participants.size).toBe(0);
  });

  it('gives a late joiner the identity and key frame first', async () => {
    const pub = await join('pub', 'late');
    expect((await pub.publishIdentity(makeDescriptor(7)))?.kind).toBe('identity');
    for (let k = 0; k < 5; k++) await pub.publish(makeDescriptor(k));
    await pub.ping(); // the relay has handled every frame before the late joiner arrives
    const late = await join('late', 'late');
    const got = record(late, 'descriptor');
    await until(() => got.length >= 2, 'replayed frames');
    expect(got.slice(0, 2).map((e) => e.kind)).toEqual(['identity', 'key']);
    expect(got[0]!.profile).toBe('identity');
    expect(maxCarriedError(makeDescriptor(7), got[0]!.descriptor, 'identity')).toBeLessThanOrEqual(
      FIXTURE_MAX_ERROR,
    );
    expect(got[1]!.seq).toBe(0);
    expect(maxCarriedError(makeDescriptor(0), got[1]!.descriptor, 'full')).toBeLessThanOrEqual(
      FIXTURE_MAX_ERROR,
    );
    const live = nextEvent(late, 'descriptor', (e) => e.seq === 5);
    await pub.publish(makeDescriptor(5));
    expect((await live).kind).toBe('delta');
  });

  it('routes a key-frame request to the publisher and makes its next frame a key frame', async () => {
    const pub = await join('p', 'kfr');
    const sub = await join('s', 'kfr');
    const kinds: string[] = [];
    sub.on('descriptor', (e) => kinds.push(e.kind));
    await pub.publish(makeDescriptor(0));
    expect((await pub.publish(makeDescriptor(1)))?.kind).toBe('delta');
    const requested = nextEvent(pub, 'keyFrameRequested');
    sub.requestKeyFrame(pub.participantId, 0);
    expect(await requested).toEqual({ stream: 0, requesterId: sub.participantId });
    expect((await pub.publish(makeDescriptor(2)))?.kind).toBe('key');
    expect((await pub.publish(makeDescriptor(3)))?.kind).toBe('delta');
    await until(() => kinds.length === 4, 'four frames');
    expect(kinds).toEqual(['key', 'delta', 'key', 'delta']);
  });

  it('sends key frames every keyFrameInterval frames', async () => {
    const r = await connect(relay.url, {
      token: await relay.token('k', 'interval'),
      codec: await fixtureCodec(),
      coding: 'intra',
      keyFrameInterval: 3,
    });
    rooms.push(r);
    const kinds = [];
    for (let k = 0; k < 7; k++) kinds.push((await r.publish(makeDescriptor(k)))?.kind);
    expect(kinds).toEqual(['key', 'delta', 'delta', 'key', 'delta', 'delta', 'key']);
  });

  it('turns a lost delta into a key-frame request and an error event, without throwing', async () => {
    const codec = await fixtureCodec();
    const sub = await join('sub', 'loss');
    const pub = await TestClient.joined(relay.url, await relay.token('rawpub', 'loss'), 'loss');
    raw.push(pub);
    const enc = codec.createStreamEncoder({ profile: 'full', coder: 'ppm' });
    const modelId = codec.paramsFor({ profile: 'full' }).modelId;
    const packets: Uint8Array[] = [];
    for (let k = 0; k < 4; k++) packets.push((await enc.encodeFrame(makeDescriptor(k))).packet);
    const got = record(sub, 'descriptor');
    const errors = record(sub, 'error');
    const send = (seq: number, kind: number) =>
      pub.frame({ seq, kind, stream: 2, profile: 0, modelId, payload: packets[seq]! });
    send(0, FrameKind.key);
    send(2, FrameKind.delta); // frame 1 "lost": the adaptive decoder cannot continue
    const req = await pub.next('keyFrameRequest');
    expect(req.keyFrameRequest).toMatchObject({ participantId: pub.participantId, stream: 2 });
    expect(req.keyFrameRequest!.requesterId).toBe(sub.participantId);
    await until(() => errors.length === 1, 'decode error event');
    expect(errors[0]).toBeInstanceOf(FrameDecodeError);
    expect(errors[0]).toMatchObject({ code: 'SEMFACE_ERR_SDK_FRAME_UNDECODABLE', fatal: false, seq: 2 });
    // Garbage is handled the same way and the room keeps working.
    pub.frame({
      seq: 3,
      kind: FrameKind.delta,
      stream: 2,
      profile: 0,
      modelId: 'x',
      payload: new Uint8Array([1, 2]),
    });
    const fresh = codec.createStreamEncoder({ profile: 'full', coder: 'ppm' });
    const key = await fresh.encodeFrame(makeDescriptor(9));
    pub.frame({
      seq: 4,
      kind: FrameKind.key,
      stream: 2,
      profile: 0,
      modelId: key.modelId,
      payload: key.packet,
    });
    await until(() => got.length === 2, 'the key frame after the loss');
    expect(got.map((e) => e.seq)).toEqual([0, 4]);
    expect(maxCarriedError(makeDescriptor(9), got[1]!.descriptor, 'full')).toBeLessThanOrEqual(
      FIXTURE_MAX_ERROR,
    );
    expect(sub.state).toBe('connected');
  });

  it('measures round-trip time', async () => {
    const r = await join('pinger', 'ping');
    const rtt = await r.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(r.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('validates descriptors and grants before sending', async () => {
    const r = await join('v', 'valid');
    await expect(r.publish(new Float32Array(10))).rejects.toThrow(InvalidDescriptorError);
    const nan = makeDescriptor(1);
    nan[3] = Number.NaN;
    await expect(r.publish(nan)).rejects.toThrow(InvalidDescriptorError);
    await expect(r.publish(makeDescriptor(1), { stream: 256 })).rejects.toThrow(RangeError);
    const viewer = await join('viewer', 'valid', { canPublish: false });
    expect(viewer.grants).toEqual({ canPublish: false, canSubscribe: true });
    await expect(viewer.publish(makeDescriptor(1))).rejects.toThrow(NotAllowedError);
  });

  it('joins explicitly when the token grants any room', async () => {
    const r = await join('roamer', '*');
    expect(r.name).toBeUndefined();
    await expect(r.publish(makeDescriptor(1))).rejects.toThrow(NotJoinedError);
    const other = await join('host', 'lobby');
    const seen = nextEvent(other, 'participantJoined');
    await r.join('lobby');
    expect(r.name).toBe('lobby');
    expect((await seen).identity).toBe('roamer');
    expect([...r.participants.values()].map((p) => p.identity)).toEqual(['host']);
    const got = nextEvent(other, 'descriptor');
    await r.publish(makeDescriptor(3));
    expect((await got).identity).toBe('roamer');
  });

  it('surfaces non-fatal relay errors as error events', async () => {
    const r = await join('asker', 'errs');
    const err = nextEvent(r, 'error');
    r.requestKeyFrame('nobody', 0);
    expect(await err).toMatchObject({
      code: 'SEMFACE_ERR_SDK_RELAY',
      relayCode: RelayErrorCode.notInRoom,
      closeCode: 0,
      fatal: false,
    });
    expect(r.state).toBe('connected');
  });

  it('keeps delivering when a listener throws', async () => {
    const pub = await join('p2', 'throwing');
    const sub = await join('s2', 'throwing');
    sub.on('descriptor', () => {
      throw new Error('listener bug');
    });
    const errors = record(sub, 'error');
    const got: DescriptorEvent[] = record(sub, 'descriptor');
    await pub.publish(makeDescriptor(1));
    await pub.publish(makeDescriptor(2));
    await until(() => got.length === 2 && errors.length === 2, 'two frames and two listener errors');
    expect(errors.map((e) => e.code)).toEqual([
      'SEMFACE_ERR_SDK_LISTENER_FAILED',
      'SEMFACE_ERR_SDK_LISTENER_FAILED',
    ]);
  });

  it('feeds attached descriptor heads before listeners, and detaches them', async () => {
    const pub = await join('hp', 'heads');
    const sub = await join('hs', 'heads');
    const order: string[] = [];
    let disposed = 0;
    const detach = sub.attachHead({
      name: 'probe',
      onDescriptor: (e) => order.push(`head ${e.seq}`),
      dispose: () => disposed++,
    });
    sub.on('descriptor', (e) => order.push(`listener ${e.seq}`));
    await pub.publish(makeDescriptor(1));
    await until(() => order.length === 2, 'first frame');
    detach();
    expect(disposed).toBe(1);
    await pub.publish(makeDescriptor(2));
    await until(() => order.length === 3, 'second frame');
    expect(order).toEqual(['head 0', 'listener 0', 'listener 1']);
  });
});
