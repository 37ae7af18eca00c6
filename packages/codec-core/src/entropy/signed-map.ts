import { CONTRACT_QUANTISATION } from '../descriptor/contract-data.js';

/** Maps a signed integer to unsigned: 0, -1, 1, -2, 2, ... -> 0, 1, 2, 3, 4, ... */
export function toUnsigned(v: number): number {
  return v >= 0 ? 2 * v : -2 * v - 1;
}

/** Inverse of {@link toUnsigned}. */
export function toSigned(u: number): number {
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

/**
 * Longest Exp-Golomb prefix a decoder accepts. Latents are clamped to |v| <= MAX_LATENT_MAGNITUDE,
 * so valid codes never reach it; it bounds the decoder's loops on corrupt input.
 */
export const MAX_EG_PREFIX = 24 as const;

/**
 * Largest latent magnitude the coders carry (2^22 - 1); quantisation clamps to this. From the data
 * contract (packages/codec-core/contracts/descriptor-layout.json, `quantisation.maxMagnitude`).
 */
export const MAX_LATENT_MAGNITUDE: number = CONTRACT_QUANTISATION.maxMagnitude;

/** Exp-Golomb (order 0) prefix length of `u`: floor(log2(u + 1)). */
export function egPrefixLength(u: number): number {
  return 31 - Math.clz32(u + 1);
}
