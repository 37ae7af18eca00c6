import {
  type DecodedEnvelope,
  FrameKind,
  type IEnvelope,
  type IFrame,
  MAX_TRACK,
  WireLimits,
  decodeBundle,
  decodeCompactFrame,
  decodeEnvelope,
  encodeBundle,
  encodeCompactFrame,
  encodeEnvelope,
  expandBundleEntries,
  compressBundleEntries,
  foldCaptureTimeMs,
  semface,
  unwrapCaptureTimeMs,
  wireMessageType,
} from '@semface/protocol';

/** Limits on what a relay's messages can make the translator hold. */
export interface WireV2Limits {
  /** Most tracks remembered from the relay's Track messages. */
  readonly maxTracks: number;
}

/** Track lanes of one stream: key/delta share a lane, identity and identity-code frames have their own. */
function laneOf(kind: number): number {
  return kind === FrameKind.identity ? 1 : kind === FrameKind.identityCode ? 2 : 0;
}

interface UpTrack {
  readonly track: number;
  modelId: string;
  profile: number;
  coding: number;
}

/**
 * Protocol v2 translation at the socket: the room speaks `Frame` envelopes as in v1, the wire
 * carries compact frames plus one `Track` message per stream lane and change (docs/relay.md,
 * "Protocol v2 wire format"). Outgoing frames become [Track?, compact frame]; incoming compact
 * frames become `Frame` envelopes again, with sequence numbers and capture times unwrapped.
 */
export class WireV2 {
  readonly #limits: WireV2Limits;
  readonly #relayNowMs: () => number;
  readonly #up = new Map<string, UpTrack>();
  readonly #down = new Map<number, semface.v1.Track>();
  /** Last full sequence number per track (a publisher counts each lane of a stream on its own). */
  readonly #seqs = new Map<number, number>();

  constructor(limits: WireV2Limits, relayNowMs: () => number) {
    this.#limits = limits;
    this.#relayNowMs = relayNowMs;
  }

  /** Wire messages for one outgoing envelope: frames are compacted, everything else is encoded as is. */
  encode(env: IEnvelope): Uint8Array[] {
    const f = env.frame;
    if (!f) return [encodeEnvelope(env)];
    const out: Uint8Array[] = [];
    const stream = f.stream ?? 0;
    const kind = f.kind ?? 0;
    const key = `${stream}\u0000${laneOf(kind)}`;
    const modelId = f.modelId ?? '';
    const profile = f.profile ?? 0;
    const coding = f.coding ?? 0;
    let t = this.#up.get(key);
    if (!t || t.modelId !== modelId || t.profile !== profile || t.coding !== coding) {
      if (!t) t = { track: this.#up.size, modelId, profile, coding };
      t.modelId = modelId;
      t.profile = profile;
      t.coding = coding;
      this.#up.set(key, t);
      out.push(encodeEnvelope({ track: { track: t.track, stream, modelId, profile, coding } }));
    }
    out.push(
      encodeCompactFrame({
        kind: kind as 1 | 2 | 3 | 4,
        track: t.track,
        seq: Number(f.seq ?? 0) & 0xff,
        timeMs16: foldCaptureTimeMs(Number(f.captureTimeUs ?? 0) / 1000),
        payload: f.payload ?? new Uint8Array(0),
      }),
    );
    return out;
  }

  /** Forgets the tracks announced upstream (a new connection starts from none). */
  resetUpstream(): void {
    this.#up.clear();
  }

  /**
   * Envelopes carried by one incoming message: a bundle's entries in order, compact frames turned
   * into `Frame` envelopes; Track messages update the table and yield nothing.
   * @throws errors of @semface/protocol for malformed messages, RangeError for a frame on an unknown track.
   */
  decode(bytes: Uint8Array): DecodedEnvelope[] {
    const parts = wireMessageType(bytes) === 'bundle' ? expandBundleEntries(decodeBundle(bytes)) : [bytes];
    const out: DecodedEnvelope[] = [];
    for (const p of parts) {
      if (wireMessageType(p) === 'frame') {
        out.push(this.#frame(p));
        continue;
      }
      const env = decodeEnvelope(p);
      if (env.body === 'track') this.#onTrack(env.track as semface.v1.Track);
      else out.push(env);
    }
    return out;
  }

  #onTrack(t: semface.v1.Track): void {
    if (t.track > MAX_TRACK || t.stream > WireLimits.maxStreamId) throw new RangeError('track out of range');
    if (t.modelId.length > WireLimits.maxModelIdLength) throw new RangeError('track model id too long');
    const old = this.#down.get(t.track);
    if (!old && this.#down.size >= this.#limits.maxTracks) {
      throw new RangeError(`relay announced more than ${this.#limits.maxTracks} tracks`);
    }
    // A number given to another publisher stream starts a new sequence.
    if (old && (old.participantId !== t.participantId || old.stream !== t.stream)) this.#seqs.delete(t.track);
    this.#down.set(t.track, t);
  }

  #frame(bytes: Uint8Array): DecodedEnvelope {
    const c = decodeCompactFrame(bytes);
    const t = this.#down.get(c.track);
    if (!t) throw new RangeError(`frame on unannounced track ${c.track}`);
    const last = this.#seqs.get(c.track);
    // The wire keeps 8 bits; the nearest value at or after the last one restores the counter.
    const seq = last === undefined ? c.seq : last + ((c.seq - (last & 0xff) + 256) % 256);
    this.#seqs.set(c.track, seq);
    const frame = semface.v1.Frame.create({
      participantId: t.participantId,
      stream: t.stream,
      seq,
      captureTimeUs: unwrapCaptureTimeMs(c.timeMs16, this.#relayNowMs()) * 1000,
      kind: c.kind,
      profile: t.profile,
      modelId: t.modelId,
      payload: c.payload,
      coding: t.coding,
    });
    const env = semface.v1.Envelope.create({ frame }) as DecodedEnvelope;
    (env as { body: string }).body = 'frame';
    return env;
  }
}

/** Packs queued wire messages into one bundle (or sends a lone message as is). */
export function packBundle(messages: readonly Uint8Array[]): Uint8Array {
  return messages.length === 1 ? messages[0]! : encodeBundle(compressBundleEntries(messages));
}
