import {
  type CoderName,
  type ModelManifestEntry,
  type ProfileName,
  type SemfaceCodec,
  decodeLatentFile,
  encodeLatentFile,
} from '@semface/codec-core';

/** Descriptors after a trip through the codec. */
export interface CodedDescriptors {
  /** Decoded 257-D descriptors (fields outside the coded profile are 0). */
  readonly decoded: Float32Array[];
  /** Entropy-coded payload bits of each face, coded alone (one single-frame file per face). */
  readonly bits: number[];
  /** Container bits per face on top of the payload (file header, length, CRC). */
  readonly overheadBits: number;
}

/**
 * Encodes every descriptor as its own single-frame file (a face sent alone: adaptive coders start
 * from empty statistics), decodes the files back and synthesises descriptors. `carried` is the profile
 * sent (default: the model's own; a smaller one sends only its fields through the model). Analysis and synthesis
 * run batched; the entropy coding and decoding are per face.
 */
export async function codeDescriptors(
  codec: SemfaceCodec,
  descriptors: readonly Float32Array[],
  model: ModelManifestEntry,
  coder: CoderName,
  carried: ProfileName = model.profile,
): Promise<CodedDescriptors> {
  const params = codec.paramsFor({
    profile: carried,
    modelProfile: model.profile,
    rateIndex: model.rateIndex,
    coder,
  });
  const cdf = codec.store.cdf(model.id);
  const latents = await codec.analyse(descriptors as Float32Array[], model, carried);
  const bits: number[] = [];
  const received: Int32Array[] = [];
  let overhead = 0;
  for (const l of latents) {
    const file = encodeLatentFile(params, [l], cdf);
    const back = decodeLatentFile(file, () => cdf);
    const payload = back.payloadBytes[0]!;
    bits.push(8 * payload);
    overhead += 8 * (file.length - payload);
    received.push(back.frames[0]!);
  }
  const decoded = await codec.synthesise(received, model, carried);
  return { decoded, bits, overheadBits: latents.length ? overhead / latents.length : 0 };
}
