import type { CoderName, ProfileName } from './layout.js';

/** Stream parameters the SDK reads from an encoder or a decoded frame. */
export interface CodecStreamParams {
  /** Id of the model the payload is coded with (goes into `Frame.model_id`). */
  readonly modelId: string;
  /** Descriptor profile the model carries. */
  readonly profile: ProfileName;
}

/** Frame-at-a-time encoder of one stream (codec-core's `DescriptorStreamEncoder` satisfies it). */
export interface DescriptorFrameEncoder {
  readonly params: CodecStreamParams;
  /** Makes the next frame a key frame. */
  requestKeyFrame(): void;
  /** Encodes one 257-D descriptor into a self-delimiting frame packet. Calls never overlap. */
  encodeFrame(descriptor: Float32Array): Promise<Uint8Array>;
}

/** One decoded frame packet. */
export interface DecodedCodecFrame {
  readonly params: CodecStreamParams;
  /** True if the codec could start decoding at this packet. */
  readonly keyFrame: boolean;
  /** 257-D descriptor; fields outside the profile are 0. */
  readonly descriptor: Float32Array;
}

/** Frame-at-a-time decoder of one stream (codec-core's `DescriptorStreamDecoder` satisfies it). */
export interface DescriptorFrameDecoder {
  /** Decodes one frame packet; throws on lost/out-of-order deltas and corrupt input. Calls never overlap. */
  decodeFrame(packet: Uint8Array): Promise<DecodedCodecFrame>;
}

/** Options the SDK passes when it opens an encoder. */
export interface CodecEncoderOptions {
  readonly profile: ProfileName;
  /** Profile of the model that codes `profile`: itself (default) or one covering it ('full'). */
  readonly modelProfile?: ProfileName;
  readonly rateIndex: number;
  readonly coder: CoderName;
  /** Always 0: the SDK decides key frames itself and calls `requestKeyFrame`. */
  readonly keyFrameInterval: number;
}

/**
 * What the SDK needs from a descriptor codec. `SemfaceCodec` of @semface/codec-core satisfies it
 * structurally; pass one loaded with the models you want (`SemfaceCodec.load({ modelsDir })`).
 */
export interface DescriptorCodec {
  createStreamEncoder(options: CodecEncoderOptions): DescriptorFrameEncoder;
  createStreamDecoder(): DescriptorFrameDecoder;
}

/** True if `value` looks like a {@link DescriptorCodec}. */
export function isDescriptorCodec(value: unknown): value is DescriptorCodec {
  const v = value as Partial<DescriptorCodec> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.createStreamEncoder === 'function' &&
    typeof v.createStreamDecoder === 'function'
  );
}
