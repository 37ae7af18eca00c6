import type { StreamParams } from '../bitstream/stream-params.js';
import type { ModelManifestEntry } from '../models/manifest.js';
import type { EncodedFaceFrame, FaceStreamDecoder, FaceStreamEncoder, StreamCoding } from './face-stream.js';
import { LatentStreamDecoder, LatentStreamEncoder, type LatentStreamOptions } from './latent-stream.js';
import type { EncodeOptions, PortableSemfaceCodec } from './portable-codec.js';
import { modelForStream } from './stream-model.js';

/** Options of an intra stream encoder. */
export type IntraStreamOptions = EncodeOptions & LatentStreamOptions;

/** Intra coding: every descriptor coded on its own into a bitstream v1 frame packet. */
class IntraStreamEncoder implements FaceStreamEncoder {
  readonly #sent = new WeakMap<EncodedFaceFrame, Int32Array>();

  constructor(
    private readonly codec: PortableSemfaceCodec,
    private readonly params: StreamParams,
    private readonly model: ModelManifestEntry,
    private readonly latent: LatentStreamEncoder,
  ) {}

  requestKeyFrame(): void {
    this.latent.requestKeyFrame();
  }

  async encodeFrame(descriptor: Float32Array): Promise<EncodedFaceFrame> {
    const { params } = this;
    const [latents] = await this.codec.analyse([descriptor], this.model, params.profile);
    const kind = this.latent.nextIsKey ? 'key' : 'delta';
    const packet = this.latent.encodeFrame(latents!);
    const frame = {
      kind,
      packet,
      modelId: params.modelId,
      profile: params.profile,
      rateIndex: params.rateIndex,
    } as const;
    this.#sent.set(frame, latents!);
    return frame;
  }

  async reconstruct(frame: EncodedFaceFrame): Promise<Float32Array> {
    const latents = this.#sent.get(frame);
    if (!latents) throw new RangeError('not a frame of this encoder');
    const [descriptor] = await this.codec.synthesise([latents], this.model, this.params.profile);
    return descriptor!;
  }
}

/** Frame-packet decoder; see {@link FaceStreamDecoder}. */
class IntraStreamDecoder implements FaceStreamDecoder {
  readonly needsKeyFrame = false;
  private readonly latent: LatentStreamDecoder;

  constructor(private readonly codec: PortableSemfaceCodec) {
    this.latent = new LatentStreamDecoder((id) => codec.store.cdf(id));
  }

  reportLoss(): void {}

  async decodeFrame(packet: Uint8Array) {
    const f = this.latent.decodeFrame(packet);
    const { params } = f;
    const model = modelForStream(this.codec.store, params);
    const [descriptor] = await this.codec.synthesise([f.latents], model, params.profile);
    const kind = f.keyFrame ? 'key' : 'delta';
    return {
      kind,
      sequence: f.sequence,
      modelId: params.modelId,
      profile: params.profile,
      descriptor: descriptor!,
    } as const;
  }
}

/** The intra {@link StreamCoding}. */
export const intraCoding: StreamCoding<IntraStreamOptions> = {
  supports: () => true,
  createEncoder(codec, options) {
    const params = codec.paramsFor(options);
    const latent = new LatentStreamEncoder(params, codec.store.cdf(params.modelId), options);
    return new IntraStreamEncoder(codec, params, codec.store.byId(params.modelId), latent);
  },
  createDecoder: (codec) => new IntraStreamDecoder(codec),
};
