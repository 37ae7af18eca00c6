import type { CoderName } from '../bitstream/constants.js';
import type { StreamParams } from '../bitstream/stream-params.js';
import type { CdfTable } from '../entropy/cdf-table.js';
import { FactorizedDecoder, FactorizedEncoder } from '../entropy/factorized-coder.js';
import type { LatentFrameDecoder, LatentFrameEncoder } from '../entropy/latent-coder.js';
import { PpmDecoder, PpmEncoder } from '../entropy/ppm-coder.js';
import { InvalidModelError } from '../errors.js';
import { type CdfResolver, resolveStreamModel } from './stream-model.js';

function requireCdf(cdf: CdfTable | undefined, latentDim: number): CdfTable {
  if (!cdf) throw new InvalidModelError('the rans coder needs the model CDF table');
  if (cdf.channels !== latentDim) {
    throw new InvalidModelError(`CDF table has ${cdf.channels} channels, stream has ${latentDim} latents`);
  }
  return cdf;
}

/** Creates the encoder side of an entropy back-end. `cdf` is required for `rans`. */
export function createLatentEncoder(coder: CoderName, latentDim: number, cdf?: CdfTable): LatentFrameEncoder {
  return coder === 'ppm' ? new PpmEncoder(latentDim) : new FactorizedEncoder(requireCdf(cdf, latentDim));
}

/** Creates the decoder side of an entropy back-end. `cdf` is required for `rans`. */
export function createLatentDecoder(coder: CoderName, latentDim: number, cdf?: CdfTable): LatentFrameDecoder {
  return coder === 'ppm' ? new PpmDecoder(latentDim) : new FactorizedDecoder(requireCdf(cdf, latentDim));
}

/**
 * The entropy decoder of a stream whose header was read from the wire: the header is checked against
 * the loaded models ({@link resolveStreamModel}: UnknownModelIdError, InvalidHeaderError) before the
 * decoder, whose size the header sets, is created.
 */
export function createStreamLatentDecoder(params: StreamParams, resolveCdf: CdfResolver): LatentFrameDecoder {
  const cdf = resolveStreamModel(params, resolveCdf);
  return createLatentDecoder(params.coder, cdf.channels, cdf);
}

/** Whether a coder keeps statistics across frames (then only key frames are entry points). */
export function coderIsAdaptive(coder: CoderName): boolean {
  return coder === 'ppm';
}
