import { MAX_LATENT_MAGNITUDE } from '../entropy/signed-map.js';

/**
 * Quantises analysis outputs to integer latents with q = floor(y + 0.5) (ties round up, toward +inf;
 * training uses torch.floor(y + 0.5) so both sides agree), clamped to +-MAX_LATENT_MAGNITUDE: the rule of
 * the data contract (packages/codec-core/contracts/descriptor-layout.json, `quantisation`), which Python
 * applies through training/codec/quantise.py (src/descriptor/contract.test.ts checks both agree).
 * Non-finite inputs must be rejected before this point.
 */
export function quantize(y: Float32Array, out: Int32Array = new Int32Array(y.length)): Int32Array {
  if (out.length !== y.length)
    throw new RangeError(`output length ${out.length} != input length ${y.length}`);
  for (let i = 0; i < y.length; i++) {
    const q = Math.floor(y[i]! + 0.5);
    out[i] =
      q > MAX_LATENT_MAGNITUDE ? MAX_LATENT_MAGNITUDE : q < -MAX_LATENT_MAGNITUDE ? -MAX_LATENT_MAGNITUDE : q;
  }
  return out;
}

/** Integer latents back to the float input of the synthesis network. */
export function dequantize(q: Int32Array, out: Float32Array = new Float32Array(q.length)): Float32Array {
  if (out.length !== q.length)
    throw new RangeError(`output length ${out.length} != input length ${q.length}`);
  for (let i = 0; i < q.length; i++) out[i] = q[i]!;
  return out;
}
