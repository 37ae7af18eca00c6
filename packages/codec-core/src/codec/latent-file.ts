import type { StreamParams } from '../bitstream/stream-params.js';
import { parseFile, writeFile } from '../bitstream/file-format.js';
import type { CdfTable } from '../entropy/cdf-table.js';
import { createLatentEncoder, createStreamLatentDecoder } from './latent-coders.js';
import type { CdfResolver } from './stream-model.js';

export type { CdfResolver } from './stream-model.js';

/**
 * Entropy-codes frames of integer latents into one batch file. Adaptive (PPM) statistics run through
 * the whole file, so frames from one video should be passed in time order.
 */
export function encodeLatentFile(
  params: StreamParams,
  frames: readonly Int32Array[],
  cdf?: CdfTable,
): Uint8Array {
  const enc = createLatentEncoder(params.coder, params.latentDim, cdf);
  const payloads = frames.map((f) => enc.encodeFrame(f));
  return writeFile(params, payloads);
}

/** A decoded batch file at the latent level. */
export interface DecodedLatentFile {
  readonly params: StreamParams;
  readonly frames: Int32Array[];
  /** Bytes of each frame's entropy-coded payload. */
  readonly payloadBytes: number[];
  /** Bytes of the file that are not payload (header, length table, CRC). */
  readonly overheadBytes: number;
}

/**
 * Parses and entropy-decodes a batch file. Throws only CodecError subclasses on malformed input; a model
 * id `resolveCdf` does not know is UnknownModelIdError, for every coder.
 */
export function decodeLatentFile(bytes: Uint8Array, resolveCdf: CdfResolver): DecodedLatentFile {
  const file = parseFile(bytes);
  const { params } = file;
  const dec = createStreamLatentDecoder(params, resolveCdf);
  const frames = file.payloads.map((p) => dec.decodeFrame(p));
  return {
    params,
    frames,
    payloadBytes: file.payloads.map((p) => p.length),
    overheadBytes: file.overheadBytes,
  };
}
