import {
  FOLLOW_ON_FLAG,
  FrameKind,
  RelayErrorCode,
  compactFrameOverhead,
  decodeBundle,
  decodeCompactFrame,
  decodeEnvelope,
  encodeBundle,
  encodeCompactFrame,
  encodeEnvelope,
  expandBundleEntries,
  wireMessageType,
} from '@semface/protocol';
import { type DescriptorEvent, type Room, connect } from '@semface/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type TestRelay, fixtureCodec, makeDescriptor, record, startRelay, until } from '../sdk/helpers.js';
import { TestClient } from './helpers/test-client.js';

/** A raw protocol v2 client: every message it receives, split out of bundles. */
class RawV2 {
  readonly messages: Uint8Array[] = [];
  readonly entries: Uint8Array[] = [];
  readonly closed: Promise<number>;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      const b = new Uint8Array(d);
      this.messages.push(b);
      this.entries.push(...(wireMessageType(b) === 'bundle' ? expandBundleEntries(decodeBundle(b)) : [b]));
    });
    this.closed = new Promise((r) => ws.once('close', (code) => r(code)));
  }
  static async open(url: string, token: string, room: string, bundleIntervalMs = 0): Promise<RawV2> {
    const ws = new WebSocket(url);
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    const c = new RawV2(ws);
    ws.send(encodeEnvelope({ hello: { protocolVersion: 2, token, client: 'raw-v2', bundleIntervalMs } }));
    await until(() => c.envelopes().some((e) => e.body === 'welcome'), 'welcome');
    ws.send(encodeEnvelope({ join: { room } }));
    await until(() => c.envelopes().some((e) => e.body === 'joined'), 'joined');
    return c;
  }
  envelopes() {
    return this.entries.filter((e) => wireMessageType(e) === 'envelope').map((e) => decodeEnvelope(e));
  }
  frames() {
    return this.entries.filter((e) => wireMessageType(e) === 'frame').map((e) => decodeCompactFrame(e));
  }
}

describe('protocol v2 over a real relay', () => {
  let relay: TestRelay;
  const rooms: Room[] = [];
  const sockets: Array<{ close(): void }> = [];

  async function sdk(identity: string, room: string, extra: Record<string, unknown> = {}) {
    const r = await connect(relay.url, {
      token: await relay.token(identity, room),
      codec: await fixtureCodec(),
      coding: 'intra',
      ...extra,
    });
    rooms.push(r);
    return r;
  }

  beforeAll(async () => {
    relay = await startRelay();
  });
  afterEach(() => {
    for (const r of rooms.splice(0)) r.dispose();
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await relay.server.close();
  });

  it('v1 and v2 clients share a room: every subscriber decodes every frame of v1 and v2 publishers', async () => {
    const v2pub = await sdk('v2pub', 'mixed');
    const v1pub = await sdk('v1pub', 'mixed', { protocolVersion: 1 });
    const v2sub = await sdk('v2sub', 'mixed');
    const v1sub = await sdk('v1sub', 'mixed', { protocolVersion: 1 });
    const raw1 = await TestClient.joined(relay.url, await relay.token('raw1', 'mixed'), 'mixed');
    const raw2 = await RawV2.open(relay.url, await relay.token('raw2', 'mixed'), 'mixed');
    sockets.push({ close: () => raw1.close() }, { close: () => raw2.ws.close() });
    const got2 = record(v2sub, 'descriptor');
    const got1 = record(v1sub, 'descriptor');
    const N = 20;
    for (let i = 0; i < N; i++) {
      await v2pub.publish(makeDescriptor(i));
      await v1pub.publish(makeDescriptor(100 + i));
    }
    await until(() => got2.length === 2 * N && got1.length === 2 * N, 'all descriptors at both subscribers');
    const byPub = (list: DescriptorEvent[], who: string) =>
      list.filter((e) => e.identity === who).map((e) => [e.seq, e.kind, Array.from(e.descriptor)]);
    for (const who of ['v2pub', 'v1pub']) expect(byPub(got2, who)).toEqual(byPub(got1, who));
    expect(byPub(got2, 'v2pub').map((e) => e[0])).toEqual([...Array(N).keys()]);
    // The raw v1 client sees Frame envelopes with full fields; the raw v2 one compact frames.
    await until(() => raw1.all('frame').length === 2 * N && raw2.frames().length === 2 * N, 'raw frames');
    const v1frames = raw1.all('frame').map((e) => e.frame!);
    expect(new Set(v1frames.map((f) => f.modelId)).size).toBeGreaterThan(0);
    expect(v1frames.every((f) => Number(f.relayTimeUs) > 0 && f.participantId.length > 0)).toBe(true);
    // Framing per delta frame: what the message holds beyond the codec payload.
    const deltas = raw2.frames().filter((f) => f.kind === FrameKind.delta);
    expect(deltas.length).toBeGreaterThan(0);
    for (const f of deltas) expect(compactFrameOverhead(f.track) * 8).toBeLessThanOrEqual(40);
    const v1Delta = raw1.all('frame').find((e) => e.frame!.kind === FrameKind.delta)!;
    const v1Overhead = encodeEnvelope({ frame: v1Delta.frame! }).length - v1Delta.frame!.payload.length;
    expect(v1Overhead).toBeGreaterThan(5 * compactFrameOverhead(0));
    // Tracks are announced before their first frame, once per change.
    const tracks = raw2.envelopes().filter((e) => e.body === 'track');
    expect(tracks.length).toBeGreaterThanOrEqual(2);
    expect(tracks.length).toBeLessThanOrEqual(6);
  });

  it('bundles: a v2 subscriber asking for 100 ms gets fewer messages than frames, all frames in order', async () => {
    const pub = await sdk('bpub', 'bundled', { bundleIntervalMs: 50 });
    const sub = await sdk('bsub', 'bundled', { bundleIntervalMs: 100 });
    const raw = await RawV2.open(relay.url, await relay.token('braw', 'bundled'), 'bundled', 100);
    sockets.push({ close: () => raw.ws.close() });
    const got = record(sub, 'descriptor');
    const N = 30;
    for (let i = 0; i < N; i++) {
      await pub.publish(makeDescriptor(i));
      await new Promise((r) => setTimeout(r, 10));
    }
    await until(() => got.length === N && raw.frames().length === N, 'bundled frames');
    expect(got.map((e) => e.seq)).toEqual([...Array(N).keys()]);
    const frameMessages = raw.messages.filter((m) => wireMessageType(m) !== 'envelope');
    expect(frameMessages.some((m) => wireMessageType(m) === 'bundle')).toBe(true);
    expect(frameMessages.length).toBeLessThan(N / 2);
    // Inside bundles, the next frame of a track travels as a 3-byte follow-on frame.
    const raws = frameMessages.filter((m) => wireMessageType(m) === 'bundle').flatMap((m) => decodeBundle(m));
    expect(raws.some((e) => (e[0]! & FOLLOW_ON_FLAG) !== 0)).toBe(true);
  });

  it('across two nodes: a v2 publisher on one node reaches v1 and v2 subscribers on the other', async () => {
    const { InProcessBus } = await import('@semface/server');
    const bus = new InProcessBus();
    const secret = relay.secret;
    const a = await startRelay({ bus, nodeId: 'wireA' }, secret);
    const b = await startRelay({ bus, nodeId: 'wireB' }, secret);
    try {
      const on = async (r: TestRelay, identity: string, extra: Record<string, unknown> = {}) => {
        const room = await connect(r.url, {
          token: await r.token(identity, 'span'),
          codec: await fixtureCodec(),
          coding: 'intra',
          ...extra,
        });
        rooms.push(room);
        return room;
      };
      const pub = await on(a, 'pub');
      const sub2 = await on(b, 'sub2', { bundleIntervalMs: 100 });
      const sub1 = await on(b, 'sub1', { protocolVersion: 1 });
      await until(() => sub2.participants.size === 2 && sub1.participants.size === 2, 'peers across nodes');
      const got2 = record(sub2, 'descriptor');
      const got1 = record(sub1, 'descriptor');
      for (let i = 0; i < 10; i++) await pub.publish(makeDescriptor(i));
      await until(() => got2.length === 10 && got1.length === 10, 'frames across nodes');
      expect(got2.map((e) => Array.from(e.descriptor))).toEqual(got1.map((e) => Array.from(e.descriptor)));
      expect(got2.map((e) => e.seq)).toEqual([...Array(10).keys()]);
    } finally {
      await a.server.close();
      await b.server.close();
    }
  });

  it('fuzz: 10,000 mutated v2 messages get typed errors only; healthy v1 and v2 subscribers lose nothing', async () => {
    const fuzzRelay = await startRelay({
      rateLimitMessagesPerSecond: 1_000_000,
      rateLimitBurstMessages: 1_000_000,
      rejectedMessagesPerSecond: 1_000_000,
      rejectedBurstMessages: 1_000_000,
      controlMessagesPerSecond: 1_000_000,
      controlBurstMessages: 1_000_000,
    });
    try {
      const tok = (id: string) => fuzzRelay.token(id, 'fuzz');
      const pub = await connect(fuzzRelay.url, {
        token: await tok('pub'),
        codec: await fixtureCodec(),
        coding: 'intra',
      });
      const sub2 = await connect(fuzzRelay.url, { token: await tok('sub2'), codec: await fixtureCodec() });
      const sub1 = await connect(fuzzRelay.url, {
        token: await tok('sub1'),
        codec: await fixtureCodec(),
        protocolVersion: 1,
      });
      rooms.push(pub, sub1, sub2);
      const got2 = record(sub2, 'descriptor');
      const got1 = record(sub1, 'descriptor');
      const hostile = await RawV2.open(fuzzRelay.url, await tok('hostile'), 'fuzz');
      sockets.push({ close: () => hostile.ws.close() });
      let s = 99;
      const rnd = () => {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        return s / 2 ** 32;
      };
      const track = encodeEnvelope({ track: { track: 1, stream: 0, modelId: 'x', profile: 0, coding: 1 } });
      const good = encodeCompactFrame({
        kind: 2,
        track: 1,
        seq: 1,
        timeMs16: 7,
        payload: new Uint8Array(8).fill(5),
      });
      const seeds = [track, good, encodeBundle([track, good, good])];
      for (let i = 0; i < 10_000; i++) {
        const m = seeds[i % 3]!.slice();
        const flips = 1 + Math.floor(rnd() * 3);
        for (let k = 0; k < flips; k++) m[Math.floor(rnd() * m.length)] ^= 1 << Math.floor(rnd() * 8);
        hostile.ws.send(i % 7 === 0 ? m.subarray(0, Math.floor(rnd() * m.length) || 1) : m);
        if (i % 500 === 0) {
          await pub.publish(makeDescriptor(i));
        }
      }
      await until(() => got2.length === 20 && got1.length === 20, 'healthy frames during the fuzz', 30_000);
      const codes = new Set(
        hostile
          .envelopes()
          .filter((e) => e.body === 'error')
          .map((e) => e.error!.code),
      );
      const known = new Set<string>(Object.values(RelayErrorCode));
      for (const c of codes) expect(known.has(c)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${fuzzRelay.port}/healthz`)).status).toBe(200);
    } finally {
      await fuzzRelay.server.close();
    }
  });
});
