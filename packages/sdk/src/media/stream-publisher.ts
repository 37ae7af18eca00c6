import { FrameKind, type FrameKindValue } from '@semface/protocol';
import type {
  FaceFrameKind,
  FaceStreamEncoder,
  PortableSemfaceCodec,
  StreamCodingName,
  TaskLabel,
} from '@semface/codec-core/portable';
import {
  type MotionLayerChoice,
  type PartialProfileModel,
  resolveMotionLayer,
} from '../options/connect-options.js';
import type { CoderName, ProfileName } from '../codec/layout.js';
import type { SdkLogger } from '../options/logger.js';
import { SerialQueue } from './serial-queue.js';

/**
 * `Frame.model_id` of temporal-stream frames starts with this, followed by the per-frame layer's model
 * id. Clients that predate `Frame.coding` tell temporal frames by it (read for one version more).
 */
export const TEMPORAL_MODEL_ID_PREFIX = 'temporal-v1:' as const;

/** True if `modelId` marks a temporal-stream frame. */
export function isTemporalModelId(modelId: string): boolean {
  return modelId.startsWith(TEMPORAL_MODEL_ID_PREFIX);
}

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
  /** Temporal coding: receiver task the encoder protects (transform layer). Default none. */
  readonly taskLabel?: TaskLabel;
  /** Which models code the partial profiles (intra): their own, or the full ones. Default own. */
  readonly partialProfileModel?: PartialProfileModel;
  /** Told once when temporal coding was asked for but the codec has none. */
  readonly logger?: SdkLogger;
}

/** A lane's encoder and the coding it was opened with. */
interface LaneEncoder {
  readonly coding: StreamCodingName;
  readonly encoder: FaceStreamEncoder;
}

const WIRE_KIND: Readonly<Record<FaceFrameKind, FrameKindValue>> = Object.freeze({
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
    const intra = this.#encoder?.coding === 'intra';
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
    codec: PortableSemfaceCodec,
    descriptor: Float32Array,
    profile: ProfileName,
    forceKey: boolean,
  ): Promise<EncodedFrame> {
    if (!this.#encoder || this.#profile !== profile) {
      this.#encoder = this.#open(codec, profile);
      this.#profile = profile;
      this.#forceKey = true;
    }
    const { coding, encoder } = this.#encoder;
    const key = this.nextIsKey(profile, forceKey);
    this.#forceKey = false;
    if (key) encoder.requestKeyFrame();
    let out: Awaited<ReturnType<FaceStreamEncoder['encodeFrame']>>;
    try {
      out = await encoder.encodeFrame(descriptor);
    } catch (err) {
      // The encoder may have advanced its state; only a key frame is safe next.
      this.#forceKey = true;
      throw err;
    }
    this.#sinceKey = out.kind === 'key' ? 1 : this.#sinceKey + 1;
    return {
      seq: this.#seq++,
      kind: this.lane === 'identity' ? FrameKind.identity : WIRE_KIND[out.kind],
      profile,
      modelId: coding === 'temporal' ? `${TEMPORAL_MODEL_ID_PREFIX}${out.modelId}` : out.modelId,
      payload: out.packet,
      coding,
    };
  }

  #open(codec: PortableSemfaceCodec, profile: ProfileName): LaneEncoder {
    const s = this.#settings;
    if (s.coding === 'temporal' && this.lane === 'frame' && profile === 'full') {
      if (codec.supportsCoding('temporal')) {
        const targetKbps = s.targetKbps ?? 2;
        const encoder = codec.createStreamEncoder({
          coding: 'temporal',
          frameRate: s.frameRate ?? 25,
          keyFrameIntervalSeconds: s.keyFrameIntervalSeconds ?? 2,
          targetBitrate: targetKbps * 1000,
          ...(s.motionLayer !== undefined
            ? { motionLayer: resolveMotionLayer(s.motionLayer, targetKbps, s.taskLabel !== undefined) }
            : s.taskLabel !== undefined
              ? { motionLayer: 'transform' as const }
              : {}),
          ...(s.taskLabel !== undefined ? { taskLabel: s.taskLabel } : {}),
        });
        return { coding: 'temporal', encoder };
      }
      if (!this.#warnedNoTemporal) {
        this.#warnedNoTemporal = true;
        s.logger?.warn({ stream: this.stream }, 'codec has no temporal coding; publishing intra frames');
      }
    }
    const encoder = codec.createStreamEncoder({
      profile,
      ...(profile !== 'full' && s.partialProfileModel === 'full' ? { modelProfile: 'full' as const } : {}),
      rateIndex: s.rateIndex,
      coder: s.coder,
      keyFrameInterval: 0,
    });
    return { coding: 'intra', encoder };
  }
}
