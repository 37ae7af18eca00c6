import type { ProfileName } from '../descriptor/layout.js';
import type { TemporalPacketKind } from '../temporal/constants.js';
import type { TemporalLatentFrame } from '../temporal/latent-temporal-stream.js';
import { temporalCoding } from '../temporal/temporal-stream.js';
import { intraCoding } from './intra-stream.js';
import type { PortableSemfaceCodec } from './portable-codec.js';

/** What a coded frame is: intra codings make only `key` and `delta` frames. */
export type FaceFrameKind = TemporalPacketKind;

/** One encoded frame of a face stream. */
export interface EncodedFaceFrame {
  readonly kind: FaceFrameKind;
  /** The packet to send (one transport message). */
  readonly packet: Uint8Array;
  /** Id of the model the frame is coded with (temporal: the per-frame layer's model or transform). */
  readonly modelId: string;
  /** Descriptor fields the frame carries. */
  readonly profile: ProfileName;
  /** Intra, temporal latent layer: the model's rate index. Temporal transform layer: step ladder index, -1 for a fixed step. */
  readonly rateIndex: number;
  /** Temporal transform layer: quantiser step of this group of pictures; otherwise undefined. */
  readonly motionStep?: number | undefined;
  /** Temporal: dead zone this frame was coded with (latent steps or transform levels; 0 on key frames). */
  readonly deadZone?: number;
  /** Temporal: integer state the decoder holds after this packet (for `reconstruct`). */
  readonly latents?: TemporalLatentFrame;
}

/** One decoded frame of a face stream. */
export interface DecodedFaceFrame {
  readonly kind: FaceFrameKind;
  /** Sequence number of the packet (its coding's modulo). */
  readonly sequence: number;
  /** Id of the model the frame is coded with (temporal: the per-frame layer's model or transform). */
  readonly modelId: string;
  /** Descriptor fields the frame carries. */
  readonly profile: ProfileName;
  /** 257-D descriptor; fields outside `profile` are 0. */
  readonly descriptor: Float32Array;
}

/** Frame-at-a-time encoder of one face stream. Calls must not overlap (await each). */
export interface FaceStreamEncoder {
  /** Makes the next frame a key frame (a receiver joined or lost a packet). */
  requestKeyFrame(): void;
  /** Encodes one 257-D descriptor into one packet. */
  encodeFrame(descriptor: Float32Array): Promise<EncodedFaceFrame>;
  /** The descriptor a decoder outputs for `frame` (same arithmetic as the decoder). */
  reconstruct(frame: EncodedFaceFrame): Promise<Float32Array>;
}

/** Frame-at-a-time decoder of one face stream. Calls must not overlap (await each). */
export interface FaceStreamDecoder {
  /**
   * True when only a key frame can be decoded next. Intra decoders judge each packet instead (`ppm`
   * needs consecutive sequence numbers, `rans` decodes across gaps) and are never in this state.
   */
  readonly needsKeyFrame: boolean;
  /** The transport saw a gap (temporal: refuse packets until the next key frame; intra: no effect). */
  reportLoss(): void;
  /** Decodes one packet; malformed, lost or out-of-order input throws CodecError subclasses. */
  decodeFrame(packet: Uint8Array): Promise<DecodedFaceFrame>;
}

/** A stream coding: how a face stream's frames are coded. Options `O` are what its encoder takes. */
export interface StreamCoding<O extends object = object> {
  /** True when `codec` has the models this coding needs. */
  supports(codec: PortableSemfaceCodec): boolean;
  createEncoder(codec: PortableSemfaceCodec, options: O): FaceStreamEncoder;
  createDecoder(codec: PortableSemfaceCodec): FaceStreamDecoder;
}

/**
 * Every stream coding, by name (the name is also the wire's `Frame.coding`). A new coding is one entry
 * here; its options type, {@link StreamCodingName} and {@link FaceStreamOptions} follow from it.
 */
export const STREAM_CODINGS = Object.freeze({
  /** Every frame coded on its own (bitstream v1 frame packets). */
  intra: intraCoding,
  /** Layered temporal stream: identity layer on key frames and changes, per-frame layer as residuals. */
  temporal: temporalCoding,
});

/** Name of a stream coding. */
export type StreamCodingName = keyof typeof STREAM_CODINGS;

/** Names of the stream codings. */
export const STREAM_CODING_NAMES = Object.freeze(Object.keys(STREAM_CODINGS)) as readonly StreamCodingName[];

/** Coding of `createStreamEncoder/Decoder` when none is named. */
export const DEFAULT_STREAM_CODING = 'intra' satisfies StreamCodingName;

type OptionsOf<C> = C extends StreamCoding<infer O> ? O : never;

/** Options of `createStreamEncoder`: the coding (default intra) and that coding's options. */
export type FaceStreamOptions =
  | {
      [K in StreamCodingName]: { readonly coding: K } & OptionsOf<(typeof STREAM_CODINGS)[K]>;
    }[StreamCodingName]
  | ({ readonly coding?: undefined } & OptionsOf<(typeof STREAM_CODINGS)[typeof DEFAULT_STREAM_CODING]>);

/** A registry of stream codings (e.g. {@link STREAM_CODINGS} plus test-only ones). */
export type StreamCodings = Readonly<Record<string, StreamCoding>>;
