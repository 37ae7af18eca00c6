import { CorruptPayloadError } from '../errors.js';
import type { CdfTable } from './cdf-table.js';
import type { LatentFrameDecoder, LatentFrameEncoder } from './latent-coder.js';
import { RansDecoder, RansEncoder } from './rans.js';
import { MAX_EG_PREFIX, egPrefixLength, toSigned, toUnsigned } from './signed-map.js';

function checkDim(table: CdfTable, n: number): void {
  if (n !== table.channels) throw new RangeError(`expected ${table.channels} latents, got ${n}`);
}

/**
 * Learned factorised prior coded with rANS. Values outside a channel's CDF range are sent as ESCAPE
 * followed by the signed value in Exp-Golomb order 0, one equiprobable (bypass) bit per binary digit.
 * Stateless across frames.
 */
export class FactorizedEncoder implements LatentFrameEncoder {
  private readonly rans = new RansEncoder();

  constructor(private readonly table: CdfTable) {}

  encodeFrame(latents: Int32Array): Uint8Array {
    const t = this.table;
    checkDim(t, latents.length);
    for (let c = 0; c < t.channels; c++) {
      const v = latents[c]!;
      const s = v - t.min[c]!;
      const k = t.size[c]!;
      const o = t.offset[c]!;
      if (s >= 0 && s < k) {
        this.rans.put(t.cdf[o + s]!, t.cdf[o + s + 1]! - t.cdf[o + s]!);
        continue;
      }
      this.rans.put(t.cdf[o + k]!, t.cdf[o + k + 1]! - t.cdf[o + k]!);
      const x = toUnsigned(v) + 1;
      const n = egPrefixLength(x - 1);
      for (let i = 0; i < n; i++) this.rans.putBit(1);
      this.rans.putBit(0);
      for (let i = n - 1; i >= 0; i--) this.rans.putBit((x >>> i) & 1);
    }
    return this.rans.finish();
  }

  reset(): void {}
}

/** Decoder counterpart of {@link FactorizedEncoder}. */
export class FactorizedDecoder implements LatentFrameDecoder {
  constructor(private readonly table: CdfTable) {}

  decodeFrame(payload: Uint8Array): Int32Array {
    const t = this.table;
    const out = new Int32Array(t.channels);
    const d = new RansDecoder(payload);
    const cdf = t.cdf;
    for (let c = 0; c < t.channels; c++) {
      const o = t.offset[c]!;
      const k = t.size[c]!;
      const slot = d.peek();
      // Largest s in [0, k] with cdf[o + s] <= slot; cdf[o] = 0 and cdf[o + k + 1] = 2^16 > slot.
      let lo = 0;
      let hi = k + 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (cdf[o + mid]! <= slot) lo = mid;
        else hi = mid;
      }
      d.advance(cdf[o + lo]!, cdf[o + lo + 1]! - cdf[o + lo]!);
      if (lo < k) {
        out[c] = t.min[c]! + lo;
        continue;
      }
      let n = 0;
      while (d.getBit() === 1) {
        if (++n >= MAX_EG_PREFIX) throw new CorruptPayloadError('escape code prefix too long');
      }
      let x = 1;
      for (let i = 0; i < n; i++) x = x * 2 + d.getBit();
      const v = toSigned(x - 1);
      if (v >= t.min[c]! && v < t.min[c]! + k)
        throw new CorruptPayloadError('escaped value lies inside the CDF range');
      out[c] = v;
    }
    d.end();
    return out;
  }

  reset(): void {}
}
