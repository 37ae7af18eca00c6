import { FrameKind, type FrameKindValue } from '@semface/protocol';
import type { DescriptorCodec, DescriptorFrameEncoder } from '../codec/descriptor-codec.js';
import type { CoderName, ProfileName } from '../codec/layout.js';
import { SerialQueue } from './serial-queue.js';

/** Whether a publisher carries descriptor frames (key/delta) or identity frames. */
export type PublishLane = 'frame' | 'identity';

/** One encoded frame, ready to go on the wire. */
export interface EncodedFrame {
  readonly seq: number;
  readonly kind: FrameKindValue;
  readonly profile: ProfileName;
  readonly modelId: string;
  readonly payload: Uint8Array;
}

/** Encoder settings shared by a room's publishers. */
export interface PublisherSettings {
  readonly rateIndex: number;
  readonly coder: CoderName;
  /** A key frame every this many frames; 0 = only the first and requested ones. */
  readonly keyFrameInterval: number;
}

/**
 * One local stream (one lane of it): owns the codec encoder, the sequence numbers and the key-frame
 * decision (first frame, every `keyFrameInterval`-th, on request, after a profile change or a frame
 * that could not be sent). Identity frames are always self-contained.
 */
export class StreamPublisher {
  readonly stream: number;
  readonly lane: PublishLane;
  readonly queue = new SerialQueue();
  readonly #settings: PublisherSettings;
  #encoder: DescriptorFrameEncoder | undefined;
  #profile: ProfileName | undefined;
  #seq = 0;
  #sinceKey = 0;
  #forceKey = true;
  /** Copy of the last descriptor given to this stream, re-sent as a key frame after a reconnect. */
  last: { descriptor: Float32Array; profile: ProfileName } | undefined;

  constructor(stream: number, lane: PublishLane, settings: PublisherSettings) {
    this.stream = stream;
    this.lane = lane;
    this.#settings = settings;
  }

  /** Makes the next frame a key frame. */
  requestKeyFrame(): void {
    this.#forceKey = true;
  }

  /** Whether the next frame will be a key frame (given a caller's `forceKey`). */
  nextIsKey(profile: ProfileName, forceKey: boolean): boolean {
    const interval = this.#settings.keyFrameInterval;
    return (
      this.lane === 'identity' ||
      forceKey ||
      this.#forceKey ||
      !this.#encoder ||
      this.#profile !== profile ||
      (interval > 0 && this.#sinceKey >= interval)
    );
  }

  /** Encodes one descriptor. Call through {@link queue} so encodes never overlap. */
  async encode(
    codec: DescriptorCodec,
    descriptor: Float32Array,
    profile: ProfileName,
    forceKey: boolean,
  ): Promise<EncodedFrame> {
    const s = this.#settings;
    if (!this.#encoder || this.#profile !== profile) {
      this.#encoder = codec.createStreamEncoder({
        profile,
        rateIndex: s.rateIndex,
        coder: s.coder,
        keyFrameInterval: 0,
      });
      this.#profile = profile;
      this.#forceKey = true;
    }
    const key = this.nextIsKey(profile, forceKey);
    this.#forceKey = false;
    if (key) this.#encoder.requestKeyFrame();
    let payload: Uint8Array;
    try {
      payload = await this.#encoder.encodeFrame(descriptor);
    } catch (err) {
      // The encoder may have advanced its state; only a key frame is safe next.
      this.#forceKey = true;
      throw err;
    }
    this.#sinceKey = key ? 1 : this.#sinceKey + 1;
    const kind = this.lane === 'identity' ? FrameKind.identity : key ? FrameKind.key : FrameKind.delta;
    return { seq: this.#seq++, kind, profile, modelId: this.#encoder.params.modelId, payload };
  }
}
