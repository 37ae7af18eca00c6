import type { MotionLayerName } from '@semface/codec-core';
import type { SemfaceCodec } from '@semface/codec-core';
import type { DescriptorCodec } from './descriptor-codec.js';

/** How a stream's 'full'-profile frames are coded. */
export const StreamCoding = Object.freeze({
  /**
   * Layered temporal stream of @semface/codec-core: identity layer on key frames and when it changes,
   * per-frame layer as residuals against the previous frame, rate-controlled (~1-2 kbit/s).
   */
  temporal: 'temporal',
  /** Every frame coded on its own (bitstream v1 frame packets, ~9-20 kbit/s). */
  intra: 'intra',
} as const);

/** Name of a stream coding. */
export type StreamCodingName = (typeof StreamCoding)[keyof typeof StreamCoding];

/**
 * `Frame.model_id` of temporal-stream frames starts with this, followed by the per-frame layer's model
 * id. Receivers route such frames (key, delta and identity alike) to one temporal decoder per stream.
 */
export const TEMPORAL_MODEL_ID_PREFIX = 'temporal-v1:' as const;

/** Packet types of a temporal stream. */
export type TemporalPacketKindName = 'key' | 'delta' | 'skip' | 'identity';

/** Settings the SDK passes when it opens a temporal encoder. */
export interface TemporalEncoderOptions {
  /** Frames per second descriptors are published at. Unit: frame/s. */
  readonly frameRate: number;
  /** Seconds between periodic key frames; 0 = only the first and requested ones. Unit: s. */
  readonly keyFrameIntervalSeconds: number;
  /** Rate-control target; 0 = off. Unit: bit/s. */
  readonly targetBitrate: number;
  /** Per-frame layer coding (codec-core `motionLayer`). Default: the codec's own default. */
  readonly motionLayer?: MotionLayerName;
}

/** One encoded temporal packet. */
export interface TemporalEncodedPacket {
  readonly kind: TemporalPacketKindName;
  readonly packet: Uint8Array;
  /** Id of the per-frame layer's model. */
  readonly modelId: string;
}

/** Encoder of one temporal stream (calls never overlap). */
export interface TemporalFrameEncoder {
  /** Makes the next packet a key packet. */
  requestKeyFrame(): void;
  encodeFrame(descriptor: Float32Array): Promise<TemporalEncodedPacket>;
}

/** One decoded temporal packet. */
export interface TemporalDecodedPacket {
  readonly kind: TemporalPacketKindName;
  /** Id of the per-frame layer's model. */
  readonly modelId: string;
  /** 257-D descriptor, all fields. */
  readonly descriptor: Float32Array;
}

/** Decoder of one temporal stream (calls never overlap). */
export interface TemporalFrameDecoder {
  /** True when only a key packet can be decoded next. */
  readonly needsKeyFrame: boolean;
  /** The transport saw a gap: refuse packets until the next key packet. */
  reportLoss(): void;
  /** Decodes one packet; throws on packets it cannot decode without drifting. */
  decodeFrame(packet: Uint8Array): Promise<TemporalDecodedPacket>;
}

/**
 * Temporal coding of a codec. A {@link DescriptorCodec} may provide these two methods itself; a
 * `SemfaceCodec` of @semface/codec-core gets them from that package's `TemporalStreamEncoder/Decoder`.
 */
export interface TemporalCoding {
  createTemporalEncoder(options: TemporalEncoderOptions): TemporalFrameEncoder;
  createTemporalDecoder(): TemporalFrameDecoder;
}

const resolved = new WeakMap<object, Promise<TemporalCoding | undefined>>();

function providesTemporal(codec: object): codec is TemporalCoding {
  const c = codec as Partial<TemporalCoding>;
  return typeof c.createTemporalEncoder === 'function' && typeof c.createTemporalDecoder === 'function';
}

function looksLikeSemfaceCodec(codec: object): boolean {
  const c = codec as Partial<Record<'store' | 'analyse' | 'synthesise', unknown>>;
  return (
    typeof c.store === 'object' &&
    c.store !== null &&
    typeof c.analyse === 'function' &&
    typeof c.synthesise === 'function'
  );
}

/** The codec-core temporal stream classes a {@link SemfaceCodec} is wrapped with. */
export interface TemporalStreamClasses {
  readonly TemporalStreamEncoder: typeof import('@semface/codec-core').TemporalStreamEncoder;
  readonly TemporalStreamDecoder: typeof import('@semface/codec-core').TemporalStreamDecoder;
}

async function semfaceTemporalCoding(codec: SemfaceCodec): Promise<TemporalCoding | undefined> {
  // Loaded only here: the Node-only codec package stays out of the SDK's static imports.
  return temporalCodingWith(codec, await import('@semface/codec-core'));
}

/**
 * Temporal coding of a `SemfaceCodec` (or codec-core's `PortableSemfaceCodec`) with the given
 * temporal stream classes; `undefined` when the codec lacks expression- or identity-profile models.
 */
export function temporalCodingWith(
  codec: SemfaceCodec,
  core: TemporalStreamClasses,
): TemporalCoding | undefined {
  const store = codec.store;
  const hasProfile = (p: string) => store.models.some((m) => m.profile === p);
  if (!hasProfile('expression') || !hasProfile('identity')) return undefined;
  return {
    createTemporalEncoder(o) {
      const enc = new core.TemporalStreamEncoder(codec, {
        frameRate: o.frameRate,
        keyFrameIntervalSeconds: o.keyFrameIntervalSeconds,
        targetBitrate: o.targetBitrate,
        ...(o.motionLayer !== undefined ? { motionLayer: o.motionLayer } : {}),
      });
      return {
        requestKeyFrame: () => enc.requestKeyFrame(),
        async encodeFrame(descriptor) {
          const f = await enc.encodeFrame(descriptor);
          return { kind: f.kind, packet: f.packet, modelId: f.latents.header.motionModelId };
        },
      };
    },
    createTemporalDecoder() {
      const dec = new core.TemporalStreamDecoder(codec);
      return {
        get needsKeyFrame() {
          return dec.needsKeyFrame;
        },
        reportLoss: () => dec.reportLoss(),
        async decodeFrame(packet) {
          const f = await dec.decodeFrame(packet);
          return { kind: f.kind, modelId: f.motionModelId, descriptor: f.descriptor };
        },
      };
    },
  };
}

/**
 * The temporal coding of `codec`, or undefined when it has none (a custom codec without
 * `createTemporalEncoder/Decoder`, or a `SemfaceCodec` lacking expression- or identity-profile models).
 * Resolved once per codec object.
 */
export function temporalCodingOf(codec: DescriptorCodec): Promise<TemporalCoding | undefined> {
  let found = resolved.get(codec);
  if (!found) {
    if (providesTemporal(codec)) found = Promise.resolve(codec);
    else if (looksLikeSemfaceCodec(codec)) found = semfaceTemporalCoding(codec as unknown as SemfaceCodec);
    else found = Promise.resolve(undefined);
    resolved.set(codec, found);
  }
  return found;
}

/** True if `modelId` marks a temporal-stream frame. */
export function isTemporalModelId(modelId: string): boolean {
  return modelId.startsWith(TEMPORAL_MODEL_ID_PREFIX);
}
