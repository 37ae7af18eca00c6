// Seeded fuzzing over real sockets against an in-process relay while a healthy publisher/subscriber
// pair runs: >= 10,000 malformed protobuf envelopes (random bytes, mutated valid envelopes, wrong
// wire types, huge length prefixes, nested garbage, deep groups), before and after authentication,
// and >= 10,000 mutated codec frame packets inside valid Frame envelopes. Asserts: the relay stays
// up; the healthy subscriber gets every key and identity frame; hostile sockets only get known
// Error codes (and the session messages their valid parts earn) and allowed close codes; relay
// memory growth stays under MAX_RETAINED_GROWTH.
import { FrameKind, PROTOCOL_VERSION, decodeEnvelope } from '@semface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HealthyPair,
  type HostileRelay,
  HostileSocket,
  KNOWN_ERROR_CODES,
  MiB,
  Rng,
  hostileFrameEnvelope,
  httpRequest,
  isAllowedCloseCode,
  malformedEnvelope,
  mib,
  retained,
  startInProcessRelay,
  wireV2Message,
} from './harness/index.js';

const SEED = 0x5e3f00d;
const PRE_AUTH_SOCKETS = 400;
const ENVELOPES = 10_000;
const CODEC_PACKETS = 10_000;
/** Protocol v2 messages (compact frames, bundles, Track announcements), when the relay speaks v2. */
const V2_MESSAGES = 6_000;
/** Relay (= this process) retained-memory growth allowed over the whole fuzz run, after gc. */
const MAX_RETAINED_GROWTH = 16 * MiB;
/** What a hostile socket may receive: session replies its valid parts earn, and Errors. */
const ALLOWED_BODIES = new Set([
  'welcome',
  'joined',
  'pong',
  'error',
  'peerJoined',
  'peerLeft',
  'keyFrameRequest',
]);

/** Everything hostile sockets saw. */
class Ledger {
  sent = 0;
  connections = 0;
  closes = new Map<number, number>();
  errors = new Map<string, number>();
  badBodies: string[] = [];
  undecodable = 0;
  text = 0;

  record(s: HostileSocket, allowed: ReadonlySet<string> = ALLOWED_BODIES): void {
    this.connections++;
    if (s.closedWith) this.closes.set(s.closedWith.code, (this.closes.get(s.closedWith.code) ?? 0) + 1);
    for (const c of s.errorCodes()) this.errors.set(c, (this.errors.get(c) ?? 0) + 1);
    for (const [body] of s.counts) if (!allowed.has(body)) this.badBodies.push(body);
    this.undecodable += s.undecodable;
    this.text += s.textMessages;
  }

  check(): void {
    expect(this.undecodable, 'undecodable messages from the relay').toBe(0);
    expect(this.text, 'text messages from the relay').toBe(0);
    expect([...new Set(this.badBodies)], 'unexpected message kinds').toEqual([]);
    expect(
      [...this.errors.keys()].filter((c) => !KNOWN_ERROR_CODES.has(c)),
      'unknown error codes',
    ).toEqual([]);
    expect(
      [...this.closes.keys()].filter((c) => !isAllowedCloseCode(c)),
      'unexpected close codes',
    ).toEqual([]);
  }
}

describe('seeded protocol fuzzing over real sockets', () => {
  let relay: HostileRelay;
  let pair: HealthyPair;
  let baseline = 0;
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => unhandled.push(err);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    // Generous per-connection message rates so the relay parses everything we send (the
    // rejection budget still closes sockets that keep sending garbage; workers reconnect).
    relay = await startInProcessRelay({
      helloTimeoutMs: 1_000,
      rateLimitMessagesPerSecond: 20_000,
      rateLimitBurstMessages: 20_000,
      rateLimitBytesPerSecond: 256 * MiB,
      rateLimitBurstBytes: 256 * MiB,
    });
    pair = await HealthyPair.start(relay.url, relay.token, 'healthy-fuzz');
    await new Promise((r) => setTimeout(r, 300));
    baseline = retained(await relay.memory());
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await relay.close();
  });

  it(`closes or answers ${PRE_AUTH_SOCKETS} sockets that send garbage before Hello`, async () => {
    const rng = new Rng(SEED);
    const ledger = new Ledger();
    for (let i = 0; i < PRE_AUTH_SOCKETS; i += 16) {
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          const s = await HostileSocket.open(relay.url);
          for (let n = 1 + rng.int(3); n > 0; n--) {
            s.sendRaw(malformedEnvelope(rng, { room: 'fuzz' }));
            ledger.sent++;
          }
          await s.waitClosed(300);
          s.terminate();
          await s.waitClosed(1_000);
          ledger.record(s, new Set(['error']));
        }),
      );
    }
    expect(ledger.sent).toBeGreaterThanOrEqual(PRE_AUTH_SOCKETS);
    ledger.check();
    expect((await httpRequest(`${relay.http}/healthz`)).status).toBe(200);
  });

  it(`survives ${ENVELOPES} malformed envelopes from authenticated sockets`, async () => {
    const ledger = new Ledger();
    const workers = 4;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const rng = new Rng(SEED + 1 + w);
        const quota = ENVELOPES / workers;
        let sent = 0;
        while (sent < quota) {
          const token = await relay.token(`fuzz-${w}`, 'fuzz', { canSubscribe: false });
          const s = await HostileSocket.joined(relay.url, token, 'fuzz');
          s.keepMessages = false;
          const ctx = { room: 'fuzz', token, peerId: s.participantId };
          while (s.open && sent < quota) {
            for (let i = 0; i < 25 && s.open && sent < quota; i++) {
              s.sendRaw(malformedEnvelope(rng, ctx));
              sent++;
            }
            await s.roundTrip(1_000);
          }
          s.close();
          await s.waitClosed(6_000);
          ledger.record(s);
        }
        ledger.sent += sent;
      }),
    );
    expect(ledger.sent).toBeGreaterThanOrEqual(ENVELOPES);
    ledger.check();
    expect((await httpRequest(`${relay.http}/healthz`)).status).toBe(200);
  });

  it(`forwards ${CODEC_PACKETS} mutated codec packets in valid Frames without losing a key/identity frame`, async () => {
    const room = 'fuzzcodec';
    const ledger = new Ledger();
    const sub = await HostileSocket.joined(
      relay.url,
      await relay.token('codec-sub', room, { canPublish: false }),
      room,
    );
    sub.keepMessages = false;
    const sentReliable = { n: 0 };
    const gotReliable = { n: 0 };
    sub.ws.on('message', (data: Buffer) => {
      if (data[0] !== 0x42) return; // not a Frame envelope (field 8, length-delimited)
      const kind = frameKindOf(data);
      if (kind === FrameKind.key || kind === FrameKind.identity) gotReliable.n++;
    });
    const knownModel = [Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff)];
    await Promise.all(
      [0, 1].map(async (p) => {
        const rng = new Rng(SEED + 100 + p);
        const pub = await HostileSocket.joined(
          relay.url,
          await relay.token(`codec-pub-${p}`, room, { canSubscribe: false }),
          room,
        );
        for (let sent = 0; sent < CODEC_PACKETS / 2 && pub.open; ) {
          for (let i = 0; i < 50; i++, sent++) {
            const env = hostileFrameEnvelope(rng, knownModel);
            const kind = frameKindOf(Buffer.from(env));
            if (kind === FrameKind.key || kind === FrameKind.identity) sentReliable.n++;
            pub.sendRaw(env);
            ledger.sent++;
          }
          await pub.roundTrip(5_000);
          // Let the subscriber keep up so its queue never overflows with key frames (never dropped).
          await sub.until(() => gotReliable.n >= sentReliable.n - 60, 5_000);
        }
        pub.close();
        await pub.waitClosed();
        ledger.record(pub);
      }),
    );
    await sub.until(() => gotReliable.n >= sentReliable.n, 10_000);
    expect(ledger.sent).toBeGreaterThanOrEqual(CODEC_PACKETS);
    expect(sub.closedWith, 'codec subscriber was closed').toBeUndefined();
    expect(gotReliable.n).toBe(sentReliable.n);
    ledger.check();
    sub.close();
  });

  it.runIf(PROTOCOL_VERSION >= 2)(
    `survives ${V2_MESSAGES} hostile protocol v2 messages (compact frames, bundles, Tracks)`,
    async () => {
      const room = 'fuzzv2';
      const ledger = new Ledger();
      // A v1 subscriber in the room: whatever the v2 publishers get through reaches it as Envelopes.
      const sub = await HostileSocket.joined(
        relay.url,
        await relay.token('v2-sub', room, { canPublish: false }),
        room,
      );
      sub.keepMessages = false;
      const workers = 3;
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          const rng = new Rng(SEED + 200 + w);
          const quota = V2_MESSAGES / workers;
          let sent = 0;
          while (sent < quota) {
            const token = await relay.token(`v2-${w}`, room, { canSubscribe: false });
            const s = await HostileSocket.joined(relay.url, token, room, 2);
            s.keepMessages = false;
            // Valid Track announcements first, so some compact frames reach the fan-out.
            for (let t = 0; t < 4; t++) {
              s.send({ track: { track: t, stream: t, modelId: 'v2fuzz', profile: 1, coding: 1 } } as never);
            }
            while (s.open && sent < quota) {
              for (let i = 0; i < 25 && s.open && sent < quota; i++) {
                s.sendRaw(wireV2Message(rng));
                sent++;
              }
              await s.drained();
              await s.roundTrip(1_000);
            }
            s.close();
            await s.waitClosed(6_000);
            // v2 sockets may also get compact frames / bundles; these publishers subscribe to nothing.
            ledger.record(s);
          }
          ledger.sent += sent;
        }),
      );
      expect(ledger.sent).toBeGreaterThanOrEqual(V2_MESSAGES);
      ledger.check();
      expect(sub.undecodable).toBe(0);
      expect(sub.closedWith).toBeUndefined();
      // The well-formed part of the fuzz reached the fan-out (the fuzz is not all stopped at the door).
      expect(sub.counts.get('frame') ?? 0).toBeGreaterThan(0);
      expect(await sub.roundTrip()).toBe(true);
      sub.close();
      expect((await httpRequest(`${relay.http}/healthz`)).status).toBe(200);
    },
  );

  it('kept the healthy pair whole, the relay up and its memory bounded', async () => {
    const report = await pair.stop();
    expect(report.sent.key).toBeGreaterThan(5);
    expect(report.sent.identity).toBeGreaterThan(2);
    expect(report.missingKey).toEqual([]);
    expect(report.missingIdentity).toEqual([]);
    expect(report.foreignFrames).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.closes).toEqual([]);
    expect(unhandled).toEqual([]);
    expect((await httpRequest(`${relay.http}/healthz`)).status).toBe(200);
    const growth = retained(await relay.memory()) - baseline;
    expect(growth, `retained grew ${mib(growth)}`).toBeLessThanOrEqual(MAX_RETAINED_GROWTH);
  });
});

/** Frame kind of an encoded Frame envelope (0 if not a frame or undecodable). */
function frameKindOf(data: Buffer): number {
  try {
    const env = decodeEnvelope(new Uint8Array(data));
    return env.body === 'frame' ? env.frame!.kind : 0;
  } catch {
    return 0;
  }
}
