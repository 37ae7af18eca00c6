import {
  type CompactFrame,
  FrameKind,
  type IFrame,
  MAX_TRACK,
  WireLimits,
  encodeCompactFrame,
  encodeEnvelope,
  foldCaptureTimeMs,
  semface,
  unwrapCaptureTimeMs,
} from '@semface/protocol';

/** Lane of a frame kind within its stream: key/delta 0, identity 1, identity code 2. */
function laneOf(kind: number): number {
  return kind === FrameKind.identity ? 1 : kind === FrameKind.identityCode ? 2 : 0;
}

interface DownTrack {
  readonly track: number;
  readonly participantId: string;
  readonly stream: number;
  modelId: string;
  profile: number;
  coding: number;
}

/**
 * The relay's numbering of a room's tracks (publisher stream lanes) for protocol v2 subscribers on
 * this node. Numbers are small and reused after a publisher leaves, so a compact frame names its
 * track in one byte; every change of a track's model, profile or coding yields a `Track` message
 * that goes to v2 members before the frame.
 */
export class RoomTracks {
  readonly #byKey = new Map<string, DownTrack>();
  readonly #free: number[] = [];
  #next = 0;

  /**
   * The track of a frame, and the encoded `Track` envelope to send first when the track is new or
   * changed (else undefined).
   */
  assign(f: IFrame): { track: number; announce: Uint8Array | undefined } {
    const pid = f.participantId ?? '';
    const stream = f.stream ?? 0;
    const key = `${pid}\u0000${stream}\u0000${laneOf(f.kind ?? 0)}`;
    const modelId = f.modelId ?? '';
    const profile = f.profile ?? 0;
    const coding = f.coding ?? 0;
    let t = this.#byKey.get(key);
    if (t && t.modelId === modelId && t.profile === profile && t.coding === coding) {
      return { track: t.track, announce: undefined };
    }
    if (!t) {
      const n = this.#free.pop() ?? this.#next++;
      t = { track: n, participantId: pid, stream, modelId, profile, coding };
      this.#byKey.set(key, t);
    }
    t.modelId = modelId;
    t.profile = profile;
    t.coding = coding;
    return { track: t.track, announce: encodeEnvelope({ track: trackMessage(t) }) };
  }

  /** `Track` envelopes of every current track, for a v2 member that just joined. */
  snapshot(): Uint8Array[] {
    return [...this.#byKey.values()].map((t) => encodeEnvelope({ track: trackMessage(t) }));
  }

  /** Frees the numbers of a publisher that left. */
  forget(participantId: string): void {
    const prefix = `${participantId}\u0000`;
    for (const [key, t] of this.#byKey) {
      if (!key.startsWith(prefix)) continue;
      this.#byKey.delete(key);
      this.#free.push(t.track);
    }
  }
}

function trackMessage(t: DownTrack): semface.v1.ITrack {
  return {
    track: t.track,
    participantId: t.participantId,
    stream: t.stream,
    modelId: t.modelId,
    profile: t.profile,
    coding: t.coding,
  };
}

/** A compact frame of `f` on `track` (v1 frame fields folded to the v2 widths). */
export function compactOf(f: IFrame, track: number): Uint8Array {
  return encodeCompactFrame({
    kind: (f.kind ?? FrameKind.delta) as CompactFrame['kind'],
    track,
    seq: Number(f.seq ?? 0) & 0xff,
    timeMs16: foldCaptureTimeMs(Number(f.captureTimeUs ?? 0) / 1000),
    payload: f.payload ?? new Uint8Array(0),
  });
}

interface UpTrack {
  readonly stream: number;
  readonly modelId: string;
  readonly profile: number;
  readonly coding: number;
  /** Last full sequence number, restored from the 8 bits on the wire. */
  seq: number | undefined;
}

/** Why an upstream v2 message was refused (becomes an `invalidFrame` error). */
export class UpTrackError extends Error {}

/**
 * A v2 publisher's announced tracks on one connection: what its compact frames mean. Bounded by
 * `maxTracks` (checked before anything is stored).
 */
export class UpTracks {
  readonly #tracks = new Map<number, UpTrack>();
  readonly #maxTracks: number;

  constructor(maxTracks: number) {
    this.#maxTracks = maxTracks;
  }

  /** Records a `Track` message. @throws UpTrackError for out-of-range fields or too many tracks. */
  announce(t: semface.v1.Track): void {
    if (t.track > MAX_TRACK) throw new UpTrackError('track number out of range');
    if (t.stream > WireLimits.maxStreamId) throw new UpTrackError('stream must be <= 255');
    if (t.modelId.length > WireLimits.maxModelIdLength) throw new UpTrackError('model id longer than 64');
    if (t.coding > 2) throw new UpTrackError(`unknown coding ${t.coding}`);
    const old = this.#tracks.get(t.track);
    if (!old && this.#tracks.size >= this.#maxTracks) {
      throw new UpTrackError(`more than ${this.#maxTracks} tracks on one connection`);
    }
    this.#tracks.set(t.track, {
      stream: t.stream,
      modelId: t.modelId,
      profile: t.profile,
      coding: t.coding,
      seq: old && old.stream === t.stream ? old.seq : undefined,
    });
  }

  /**
   * The v1 frame a compact frame stands for (participant id left for the relay to set).
   * @throws UpTrackError when the track was never announced.
   */
  frameOf(c: CompactFrame, relayNowMs: number): semface.v1.Frame {
    const t = this.#tracks.get(c.track);
    if (!t) throw new UpTrackError(`frame on unannounced track ${c.track}`);
    const seq = t.seq === undefined ? c.seq : t.seq + ((c.seq - (t.seq & 0xff) + 256) % 256);
    t.seq = seq;
    return semface.v1.Frame.create({
      stream: t.stream,
      seq,
      captureTimeUs: unwrapCaptureTimeMs(c.timeMs16, relayNowMs) * 1000,
      kind: c.kind,
      profile: t.profile,
      modelId: t.modelId,
      payload: c.payload,
      coding: t.coding,
    });
  }
}
