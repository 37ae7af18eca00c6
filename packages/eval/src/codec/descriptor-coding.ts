import {
  type CoderName,
  DESCRIPTOR_LENGTH,
  type ModelManifestEntry,
  type ProfileName,
  type SemfaceCodec,
  decodeLatentFile,
  encodeLatentFile,
  profileIndices,
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

/** Copies descriptors with every field outside `profile` set to 0. */
export function keepProfile(descriptors: readonly Float32Array[], profile: ProfileName): Float32Array[] {
  const idx = profileIndices(profile);
  return descriptors.map((d) => {
    const out = new Float32Array(DESCRIPTOR_LENGTH);
    for (const i of idx) out[i] = d[i]!;
    return out;
  });
}

/**
 * Encodes every descriptor as its own single-frame file (a face sent alone: adaptive coders start
 * from empty statistics), decodes the files back and synthesises descriptors. Analysis and synthesis
 * run batched; the entropy coding and decoding are per face.
 */
export async function codeDescriptors(
  codec: SemfaceCodec,
  descriptors: readonly Float32Array[],
  model: ModelManifestEntry,
  coder: CoderName,
): Promise<CodedDescriptors> {
  const params = codec.paramsFor({ profile: model.profile, rateIndex: model.rateIndex, coder });
  const cdf = codec.store.cdf(model.id);
  const latents = await codec.analyse(descriptors as Float32Array[], model);
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
  const decoded = await codec.synthesise(received, model);
  return { decoded, bits, overheadBits: latents.length ? overhead / latents.length : 0 };
}
