import { FrameKind, decodeEnvelope } from '@semface/protocol';
import { framePacket, streamParams } from './generators.mjs';
import { type Closed, HostileSocket } from './hostile-client.js';
import type { TokenFn } from './relay.js';

/** What the healthy pair saw. */
export interface PairReport {
  sent: { key: number; identity: number; delta: number };
  got: { key: number; identity: number; delta: number };
  /** Sequence numbers of key / identity frames sent but never received. */
  missingKey: number[];
  missingIdentity: number[];
  /** Frames at the subscriber from anyone but the publisher (must be 0: hostiles are elsewhere). */
  foreignFrames: number;
  /** Error codes either side received (must be empty). */
  errors: string[];
  /** Unexpected closes of either side. */
  closes: Closed[];
}

const MODEL = Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);

/**
 * A well-behaved publisher and subscriber in their own room: the publisher sends frames at `fps`
 * (an identity frame every `identityEvery`, a key frame every `keyEvery`, deltas between), the
 * subscriber accounts for every key and identity frame by sequence number.
 */
export class HealthyPair {
  readonly pub: HostileSocket;
  readonly sub: HostileSocket;
  readonly room: string;
  #timer: NodeJS.Timeout | undefined;
  #seq = 0;
  readonly #sent = { key: new Set<number>(), identity: new Set<number>(), delta: 0 };
  readonly #got = { key: new Set<number>(), identity: new Set<number>(), delta: 0 };
  #foreign = 0;
  readonly #opts: { fps: number; keyEvery: number; identityEvery: number };

  private constructor(
    pub: HostileSocket,
    sub: HostileSocket,
    room: string,
    opts: { fps: number; keyEvery: number; identityEvery: number },
  ) {
    this.pub = pub;
    this.sub = sub;
    this.room = room;
    this.#opts = opts;
    sub.keepMessages = false;
  }

  static async start(
    url: string,
    token: TokenFn,
    room = 'healthy',
    opts: Partial<{ fps: number; keyEvery: number; identityEvery: number }> = {},
  ): Promise<HealthyPair> {
    const pub = await HostileSocket.joined(url, await token('healthy-pub', room), room);
    const sub = await HostileSocket.joined(url, await token('healthy-sub', room), room);
    const pair = new HealthyPair(pub, sub, room, { fps: 50, keyEvery: 10, identityEvery: 25, ...opts });
    pair.#run();
    return pair;
  }

  #run(): void {
    const { fps, keyEvery, identityEvery } = this.#opts;
    const pubId = this.pub.participantId;
    // The subscriber keeps only errors; frames are decoded a second time here (cheap at 50 fps).
    this.sub.ws.on('message', (data: Buffer) => {
      const f = decodeFrame(data);
      if (!f) return;
      if (f.participantId !== pubId) {
        this.#foreign++;
        return;
      }
      const seq = Number(f.seq);
      if (f.kind === FrameKind.key) this.#got.key.add(seq);
      else if (f.kind === FrameKind.identity) this.#got.identity.add(seq);
      else this.#got.delta++;
    });
    this.#timer = setInterval(() => {
      const seq = this.#seq++;
      const kind =
        seq % identityEvery === 0
          ? FrameKind.identity
          : seq % keyEvery === 0
            ? FrameKind.key
            : FrameKind.delta;
      const key = kind !== FrameKind.delta;
      const payload = framePacket({
        flags: key ? 1 : 0,
        params: key
          ? streamParams({ modelId: MODEL, profile: 1, rateIndex: 0, coder: 1, latentDim: 256 })
          : undefined,
        sequence: seq & 0xffff,
        payload: new Uint8Array(key ? 120 : 40).fill(seq & 0xff),
      });
      this.pub.send({
        frame: {
          stream: 0,
          seq,
          captureTimeUs: Date.now() * 1000,
          kind,
          profile: 1,
          modelId: 'healthy',
          payload,
        },
      });
      if (kind === FrameKind.key) this.#sent.key.add(seq);
      else if (kind === FrameKind.identity) this.#sent.identity.add(seq);
      else this.#sent.delta++;
    }, 1000 / fps);
  }

  /** Key + identity frames sent so far. */
  get reliableSent(): number {
    return this.#sent.key.size + this.#sent.identity.size;
  }

  /** Stops publishing, waits (up to `timeoutMs`) for every key/identity frame to arrive, reports. */
  async stop(timeoutMs = 10_000): Promise<PairReport> {
    clearInterval(this.#timer);
    await this.pub.roundTrip(timeoutMs);
    const complete = () =>
      [...this.#sent.key].every((s) => this.#got.key.has(s)) &&
      [...this.#sent.identity].every((s) => this.#got.identity.has(s));
    const deadline = Date.now() + timeoutMs;
    while (!complete() && Date.now() < deadline && this.sub.open) await new Promise((r) => setTimeout(r, 20));
    const report: PairReport = {
      sent: { key: this.#sent.key.size, identity: this.#sent.identity.size, delta: this.#sent.delta },
      got: { key: this.#got.key.size, identity: this.#got.identity.size, delta: this.#got.delta },
      missingKey: [...this.#sent.key].filter((s) => !this.#got.key.has(s)),
      missingIdentity: [...this.#sent.identity].filter((s) => !this.#got.identity.has(s)),
      foreignFrames: this.#foreign,
      errors: [...this.pub.errorCodes(), ...this.sub.errorCodes()],
      closes: [this.pub.closedWith, this.sub.closedWith].filter((c): c is Closed => c !== undefined),
    };
    this.pub.close();
    this.sub.close();
    return report;
  }
}

function decodeFrame(data: Buffer) {
  try {
    const env = decodeEnvelope(new Uint8Array(data));
    return env.body === 'frame' ? env.frame! : undefined;
  } catch {
    return undefined;
  }
}
