import type { StreamParams } from '../bitstream/stream-params.js';
import { profileCovers } from '../descriptor/layout.js';
import type { CdfTable } from '../entropy/cdf-table.js';
import { InvalidHeaderError } from '../errors.js';
import type { ModelManifestEntry } from '../models/manifest.js';
import type { ModelCatalog } from '../models/model-catalog.js';

/**
 * Resolves a model id read from a stream header to the CDF table of a loaded model, or throws
 * UnknownModelIdError. The table also tells the model's latent dimension (`channels`), so it is
 * everything a decoder needs to know about the model before it allocates for a stream.
 * `ModelCatalog.cdf` is one.
 */
export type CdfResolver = (modelId: string) => CdfTable;

/**
 * The CDF table of the model a stream header names, after checking the header against it: the model
 * must be loaded (else the resolver's UnknownModelIdError) and the header's latent dimension must be
 * the model's (else InvalidHeaderError). Decoders call this for every coder, adaptive ones included,
 * before creating anything sized by the header: a forged header (valid CRC, any model id, up to 4096
 * latents) would otherwise make each receiving stream allocate a 12 MiB `ppm` context model.
 */
export function resolveStreamModel(params: StreamParams, resolveCdf: CdfResolver): CdfTable {
  const cdf = resolveCdf(params.modelId);
  if (cdf.channels !== params.latentDim) {
    throw new InvalidHeaderError(
      `stream header declares ${params.latentDim} latents, model ${params.modelId} has ${cdf.channels}`,
    );
  }
  return cdf;
}

/**
 * The manifest entry of a stream's model; the header must agree with it (else InvalidHeaderError):
 * the carried profile is the model's or one it covers.
 */
export function modelForStream(store: ModelCatalog, params: StreamParams): ModelManifestEntry {
  const model = store.byId(params.modelId);
  if (
    !profileCovers(model.profile, params.profile) ||
    model.latentDim !== params.latentDim ||
    model.rateIndex !== params.rateIndex
  ) {
    throw new InvalidHeaderError(
      `stream header (${params.profile}, rate ${params.rateIndex}, ${params.latentDim} latents) does not match model ${model.id} (${model.profile}, rate ${model.rateIndex}, ${model.latentDim} latents)`,
    );
  }
  return model;
}
