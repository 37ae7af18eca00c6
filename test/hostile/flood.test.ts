// Finding 4: text and oversize (64-256 KiB) messages are charged to the rate limiter before any
// reply, also before authentication; a flood yields about one Error per second and then a 4008
// close; unauthenticated sockets that send garbage are closed.
// Finding 8: Join/Leave and KeyFrameRequest floods are rate-limited (SEMFACE_ERR_RELAY_RATE_LIMITED,
// then 4008); other members see a bounded PeerJoined/PeerLeft storm; a publisher receives a
// bounded number of key-frame requests per second.
// Bounds below are for the relay's default options.
import { CloseCode, RelayErrorCode, encodeEnvelope } from '@semface/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type HostileRelay,
  HostileSocket,
  KNOWN_ERROR_CODES,
  Rng,
  isAllowedCloseCode,
  malformedEnvelope,
  startInProcessRelay,
} from './harness/index.js';

/** Error replies a flooding socket may get: one per second plus the relay's burst of 8 (a mistaken client learns why at once), plus slack. */
const ERROR_REPLY_SLACK = 8 + 2;
/** Longest we flood before expecting the 4008 close, ms (the test fails if the socket is still open). */
const FLOOD_LIMIT_MS = 10_000;
/** PeerJoined + PeerLeft a member may see from one Join/Leave spammer (default control burst is 100). */
const MAX_MEMBERSHIP_EVENTS = 150;
/** Key-frame requests one publisher stream may receive per second (coalescing: one per 200 ms). */
const MAX_KEY_REQUESTS_PER_STREAM_PER_S = 10;
/** Key-frame requests a publisher may receive from one spammer over all streams. */
const MAX_KEY_REQUESTS_TOTAL = 150;

/**
 * Sends `make()` in batches until the relay closes the socket or `limitMs` passes.
 * Returns elapsed seconds and messages sent.
 */
async function flood(s: HostileSocket, make: () => Uint8Array | string, limitMs = FLOOD_LIMIT_MS) {
  const start = Date.now();
  let sent = 0;
  while (s.open && Date.now() - start < limitMs) {
    for (let i = 0; i < 20 && s.open; i++) {
      s.sendRaw(make());
      sent++;
    }
    await s.drained();
    await new Promise((r) => setTimeout(r, 5));
  }
  await s.waitClosed(2_000);
  return { seconds: (Date.now() - start) / 1000, sent };
}

function errorBudget(seconds: number): number {
  return Math.ceil(seconds) + ERROR_REPLY_SLACK;
}

describe('message floods', () => {
  let relay: HostileRelay;
  const sockets: HostileSocket[] = [];
  const track = (s: HostileSocket) => {
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    relay = await startInProcessRelay();
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.terminate();
  });
  afterAll(async () => {
    await relay.close();
  });

  it('an authenticated text flood gets ~1 error/s, then 4008', async () => {
    const s = track(await HostileSocket.authenticated(relay.url, await relay.token('texter', 'r')));
    const { seconds, sent } = await flood(s, () => 'hello?');
    expect(sent).toBeGreaterThan(10);
    expect(s.closedWith?.code, `still open after ${sent} text messages`).toBe(CloseCode.rateLimited);
    expect(s.all('error').length).toBeLessThanOrEqual(errorBudget(seconds));
    for (const c of s.errorCodes()) expect(KNOWN_ERROR_CODES.has(c)).toBe(true);
  });

  it('an authenticated flood of 100 KiB messages (over maxMessageBytes, under the hard limit) gets ~1 error/s, then 4008', async () => {
    const s = track(await HostileSocket.authenticated(relay.url, await relay.token('big', 'r')));
    const big = new Uint8Array(100 * 1024).fill(7);
    const { seconds, sent } = await flood(s, () => big);
    expect(sent).toBeGreaterThan(20);
    expect(s.closedWith?.code, `still open after ${sent} oversize messages`).toBe(CloseCode.rateLimited);
    expect(s.all('error').length).toBeLessThanOrEqual(errorBudget(seconds));
  });

  it('closes an unauthenticated socket that sends text, with at most one error', async () => {
    const s = track(await HostileSocket.open(relay.url));
    await flood(s, () => 'GET / HTTP/1.1', 3_000);
    expect(s.closedWith, 'unauthenticated text flood left open').toBeDefined();
    expect(isAllowedCloseCode(s.closedWith!.code) && s.closedWith!.code >= 4000).toBe(true);
    expect(s.all('error').length).toBeLessThanOrEqual(1);
  });

  it('closes an unauthenticated socket that sends oversize messages, with at most one error', async () => {
    const s = track(await HostileSocket.open(relay.url));
    const big = new Uint8Array(200 * 1024).fill(1);
    await flood(s, () => big, 3_000);
    expect(s.closedWith, 'unauthenticated oversize flood left open').toBeDefined();
    expect(s.closedWith!.code).toBeGreaterThanOrEqual(4000);
    expect(s.all('error').length).toBeLessThanOrEqual(1);
  });

  it('closes unauthenticated sockets at their first garbage message (seeded)', async () => {
    const rng = new Rng(0x6a5ba6e);
    const results: Array<{ code: number | undefined; errors: number }> = [];
    for (let i = 0; i < 20; i++) {
      const s = track(await HostileSocket.open(relay.url));
      // Garbage that is not a Hello: random bytes or a mutated non-hello envelope.
      let bytes = malformedEnvelope(rng, { room: 'r' });
      if (bytes.length > 0 && bytes[0] === 0x0a) bytes = Uint8Array.of(0xff, ...bytes); // not field 1 (hello)
      s.sendRaw(bytes);
      const closed = await s.waitClosed(1_000);
      results.push({ code: closed?.code, errors: s.all('error').length });
    }
    for (const r of results) {
      expect(r.code, 'garbage before Hello left the socket open').toBeDefined();
      expect(r.code!).toBeGreaterThanOrEqual(4000);
      expect(r.errors).toBeLessThanOrEqual(1);
    }
  });

  it('rate-limits a Join/Leave spammer and bounds the PeerJoined/PeerLeft storm at other members', async () => {
    const room = 'churn';
    const observer = track(await HostileSocket.joined(relay.url, await relay.token('observer', room), room));
    observer.keepMessages = false;
    const spammer = track(await HostileSocket.joined(relay.url, await relay.token('spammer', room), room));
    let n = 0;
    const { sent } = await flood(spammer, () => {
      return encodeEnvelope(n++ % 2 === 0 ? { leave: { room } } : { join: { room } });
    });
    expect(sent).toBeGreaterThan(100);
    expect(spammer.errorCodes()).toContain(RelayErrorCode.rateLimited);
    expect(spammer.closedWith?.code, 'spammer never closed').toBe(CloseCode.rateLimited);
    expect(await observer.roundTrip()).toBe(true);
    const storm = (observer.counts.get('peerJoined') ?? 0) + (observer.counts.get('peerLeft') ?? 0);
    expect(storm).toBeLessThanOrEqual(MAX_MEMBERSHIP_EVENTS);
    expect(observer.open).toBe(true);
  });

  it('bounds key-frame requests reaching a publisher (one stream, two spammers)', async () => {
    const room = 'kfr';
    const pub = track(await HostileSocket.joined(relay.url, await relay.token('pub', room), room));
    pub.keepMessages = false;
    const arrivals: number[] = [];
    pub.ws.on('message', () => {
      const n = pub.counts.get('keyFrameRequest') ?? 0;
      while (arrivals.length < n) arrivals.push(Date.now());
    });
    const spammers = await Promise.all(
      ['kfr-a', 'kfr-b'].map(async (id) =>
        track(await HostileSocket.joined(relay.url, await relay.token(id, room), room)),
      ),
    );
    const req = encodeEnvelope({ keyFrameRequest: { participantId: pub.participantId, stream: 0 } });
    await Promise.all(spammers.map((s) => flood(s, () => req, 3_000)));
    await pub.roundTrip();
    const got = pub.counts.get('keyFrameRequest') ?? 0;
    expect(got).toBeGreaterThan(0); // the first request gets through
    expect(maxInWindow(arrivals, 1000)).toBeLessThanOrEqual(MAX_KEY_REQUESTS_PER_STREAM_PER_S);
    for (const s of spammers) expect(s.errorCodes().every((c) => KNOWN_ERROR_CODES.has(c))).toBe(true);
  });

  it('bounds key-frame requests reaching a publisher over all 256 streams and closes the spammer', async () => {
    const room = 'kfr-all';
    const pub = track(await HostileSocket.joined(relay.url, await relay.token('pub2', room), room));
    pub.keepMessages = false;
    const spammer = track(await HostileSocket.joined(relay.url, await relay.token('kfr-all', room), room));
    let stream = 0;
    const { sent } = await flood(spammer, () =>
      encodeEnvelope({ keyFrameRequest: { participantId: pub.participantId, stream: stream++ % 256 } }),
    );
    expect(sent).toBeGreaterThan(100);
    await pub.roundTrip();
    expect(pub.counts.get('keyFrameRequest') ?? 0).toBeLessThanOrEqual(MAX_KEY_REQUESTS_TOTAL);
    expect(spammer.errorCodes()).toContain(RelayErrorCode.rateLimited);
    expect(spammer.closedWith?.code).toBe(CloseCode.rateLimited);
  });
});

/** Largest number of timestamps within any window of `ms`. */
function maxInWindow(times: readonly number[], ms: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
