import { ByteReader } from '../bitstream/byte-reader.js';
import { ByteWriter, varintLength } from '../bitstream/byte-writer.js';
import { fieldLength } from '../descriptor/layout.js';
import type { CdfTable } from '../entropy/cdf-table.js';
import { FactorizedDecoder, FactorizedEncoder } from '../entropy/factorized-coder.js';
import { InvalidHeaderError } from '../errors.js';
import { ResidualDecoder, ResidualEncoder } from './residual-coder.js';

/** The identity layer in the integer domain: identity-model latents and quantised lighting. */
export interface IdentityLayer {
  /** Latents of the identity-profile model (shape + texture). */
  readonly latents: Int32Array;
  /** Lighting coefficients divided by the lighting step, rounded (27 values). */
  readonly lighting: Int32Array;
}

/** Number of lighting coefficients. */
export const LIGHTING_LENGTH = fieldLength('lighting');

/**
 * Codes an identity layer intra: `varint L`, the identity latents with the model's frozen CDFs (L bytes),
 * then the lighting integers with a fresh residual coder (the rest).
 */
export function encodeIdentityLayer(layer: IdentityLayer, cdf: CdfTable): Uint8Array {
  if (layer.lighting.length !== LIGHTING_LENGTH) {
    throw new RangeError(`expected ${LIGHTING_LENGTH} lighting values, got ${layer.lighting.length}`);
  }
  const latents = new FactorizedEncoder(cdf).encodeFrame(layer.latents);
  const lighting = new ResidualEncoder(LIGHTING_LENGTH).encodeFrame(layer.lighting);
  const w = new ByteWriter(varintLength(latents.length) + latents.length + lighting.length);
  w.varint(latents.length);
  w.raw(latents);
  w.raw(lighting);
  return w.finish();
}

/** Inverse of {@link encodeIdentityLayer}. */
export function decodeIdentityLayer(bytes: Uint8Array, cdf: CdfTable): IdentityLayer {
  const r = new ByteReader(bytes, 0, 'identity layer');
  const n = r.varint(3);
  if (n > r.remaining) throw new InvalidHeaderError('identity latents run past the identity layer');
  const latents = new FactorizedDecoder(cdf).decodeFrame(r.view(n));
  const lighting = new ResidualDecoder(LIGHTING_LENGTH).decodeFrame(bytes.subarray(r.offset));
  return { latents, lighting };
}

/** True when two identity layers hold the same integers. */
export function sameIdentityLayer(a: IdentityLayer, b: IdentityLayer): boolean {
  if (a.latents.length !== b.latents.length || a.lighting.length !== b.lighting.length) return false;
  for (let i = 0; i < a.latents.length; i++) if (a.latents[i] !== b.latents[i]) return false;
  for (let i = 0; i < a.lighting.length; i++) if (a.lighting[i] !== b.lighting[i]) return false;
  return true;
}
