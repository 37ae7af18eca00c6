import { FrameKind, type FrameKindValue } from '@semface/protocol';
import type { DescriptorCodec } from '../codec/descriptor-codec.js';
import {
  type MotionLayerChoice,
  type PartialProfileModel,
  resolveMotionLayer,
} from '../options/connect-options.js';
import type { CoderName, ProfileName } from '../codec/layout.js';
import {
  StreamCoding,
  type StreamCodingName,
  TEMPORAL_MODEL_ID_PREFIX,
  type TemporalPacketKindName,
  temporalCodingOf,
} from '../codec/temporal-codec.js';
import type { SdkLogger } from '../options/logger.js';
import { SerialQueue } from './serial-queue.js';

/** Whether a publisher carries descriptor frames (key/delta, or a temporal stream) or identity frames. */
export type PublishLane = 'frame' | 'identity';

/** One encoded frame, ready to go on the wire. */
export interface EncodedFrame {
  readonly seq: number;
  readonly kind: FrameKindValue;
  readonly profile: ProfileName;
  /** `Frame.model_id`: the model id, prefixed with {@link TEMPORAL_MODEL_ID_PREFIX} on temporal streams. */
  readonly modelId: string;
  readonly payload: Uint8Array;
  /** Coding the frame was made with. */
  readonly coding: StreamCodingName;
}

/** Encoder settings shared by a room's publishers. */
export interface PublisherSettings {
  readonly rateIndex: number;
  readonly coder: CoderName;
  /** Intra coding: a key frame every this many frames; 0 = only the first and requested ones. */
  readonly keyFrameInterval: number;
  /** Coding of 'full'-profile frames on the 'frame' lane; other profiles are always intra. Default intra. */
  readonly coding?: StreamCodingName;
  /** Temporal coding: frames per second. Default 25. */
  readonly frameRate?: number;
  /** Temporal coding: seconds between periodic key frames. Default 2. */
  readonly keyFrameIntervalSeconds?: number;
  /** Temporal coding: rate-control target in kbit/s; 0 = off. Default 2. */
  readonly targetKbps?: number;
  /** Temporal coding: per-frame layer coding. Default: the codec's default. */
  readonly motionLayer?: MotionLayerChoice;
  /** Which models code the partial profiles (intra): their own, or the full ones. Default own. */
  readonly partialProfileModel?: PartialProfileModel;
  /** Told once when temporal coding was asked for but the codec has none. */
  readonly logger?: SdkLogger;
}

/** What the publisher needs from either coding's encoder. */
interface LaneEncoder {
  readonly coding: StreamCodingName;
  requestKeyFrame(): void;
  encode(
    descriptor: Float32Array,
  ): Promise<{ key: boolean; kind: FrameKindValue; modelId: string; payload: Uint8Array }>;
}

const TEMPORAL_WIRE_KIND: Readonly<Record<TemporalPacketKindName, FrameKindValue>> = Object.freeze({
  key: FrameKind.key,
  identity: FrameKind.identity,
  delta: FrameKind.delta,
  skip: FrameKind.delta,
});

/**
 * One local stream (one lane of it): owns the codec encoder, the sequence numbers and the key-frame
 * decision (first frame, every `keyFrameInterval`-th (intra) or `keyFrameIntervalSeconds` (temporal),
 * on request, after a profile change or a frame that could not be sent). Identity frames are always
 * self-contained. With temporal coding, identity-layer updates go out as IDENTITY frames (which the
 * relay never drops) and deltas and skips as DELTA frames.
 */
export class StreamPublisher {
  readonly stream: number;
  readonly lane: PublishLane;
  readonly queue = new SerialQueue();
  readonly #settings: PublisherSettings;
  #encoder: LaneEncoder | undefined;
  #profile: ProfileName | undefined;
  #seq = 0;
  #sinceKey = 0;
  #forceKey = true;
  #warnedNoTemporal = false;
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

  /**
   * Whether the next frame will be a key frame (given a caller's `forceKey`). A temporal encoder's own
   * periodic key frames are not foreseen here.
   */
  nextIsKey(profile: ProfileName, forceKey: boolean): boolean {
    const interval = this.#settings.keyFrameInterval;
    const intra = this.#encoder?.coding === StreamCoding.intra;
    return (
      this.lane === 'identity' ||
      forceKey ||
      this.#forceKey ||
      !this.#encoder ||
      this.#profile !== profile ||
      (intra && interval > 0 && this.#sinceKey >= interval)
    );
  }

  /** Encodes one descriptor. Call through {@link queue} so encodes never overlap. */
  async encode(
    codec: DescriptorCodec,
    descriptor: Float32Array,
    profile: ProfileName,
    forceKey: boolean,
  ): Promise<EncodedFrame> {
    if (!this.#encoder || this.#profile !== profile) {
      this.#encoder = await this.#open(codec, profile);
      this.#profile = profile;
      this.#forceKey = true;
    }
    const encoder = this.#encoder;
    const key = this.nextIsKey(profile, forceKey);
    this.#forceKey = false;
    if (key) encoder.requestKeyFrame();
    let out: Awaited<ReturnType<LaneEncoder['encode']>>;
    try {
      out = await encoder.encode(descriptor);
    } catch (err) {
      // The encoder may have advanced its state; only a key frame is safe next.
      this.#forceKey = true;
      throw err;
    }
    this.#sinceKey = out.key ? 1 : this.#sinceKey + 1;
    const kind = this.lane === 'identity' ? FrameKind.identity : out.kind;
    return {
      seq: this.#seq++,
      kind,
      profile,
      modelId: out.modelId,
      payload: out.payload,
      coding: encoder.coding,
    };
  }

  async #open(codec: DescriptorCodec, profile: ProfileName): Promise<LaneEncoder> {
    const s = this.#settings;
    if (s.coding === StreamCoding.temporal && this.lane === 'frame' && profile === 'full') {
      const temporal = await temporalCodingOf(codec);
      if (temporal) {
        const enc = temporal.createTemporalEncoder({
          frameRate: s.frameRate ?? 25,
          keyFrameIntervalSeconds: s.keyFrameIntervalSeconds ?? 2,
          targetBitrate: (s.targetKbps ?? 2) * 1000,
          ...(s.motionLayer !== undefined
            ? { motionLayer: resolveMotionLayer(s.motionLayer, s.targetKbps ?? 2) }
            : {}),
        });
        return {
          coding: StreamCoding.temporal,
          requestKeyFrame: () => enc.requestKeyFrame(),
          async encode(descriptor) {
            const f = await enc.encodeFrame(descriptor);
            return {
              key: f.kind === 'key',
              kind: TEMPORAL_WIRE_KIND[f.kind],
              modelId: `${TEMPORAL_MODEL_ID_PREFIX}${f.modelId}`,
              payload: f.packet,
            };
          },
        };
      }
      if (!this.#warnedNoTemporal) {
        this.#warnedNoTemporal = true;
        s.logger?.warn({ stream: this.stream }, 'codec has no temporal coding; publishing intra frames');
      }
    }
    const enc = codec.createStreamEncoder({
      profile,
      ...(profile !== 'full' && s.partialProfileModel === 'full' ? { modelProfile: 'full' as const } : {}),
      rateIndex: s.rateIndex,
      coder: s.coder,
      keyFrameInterval: 0,
    });
    let key = false;
    return {
      coding: StreamCoding.intra,
      requestKeyFrame: () => {
        key = true;
        enc.requestKeyFrame();
      },
      async encode(descriptor) {
        const isKey = key;
        key = false;
        const payload = await enc.encodeFrame(descriptor);
        return {
          key: isKey,
          kind: isKey ? FrameKind.key : FrameKind.delta,
          modelId: enc.params.modelId,
          payload,
        };
      },
    };
  }
}
