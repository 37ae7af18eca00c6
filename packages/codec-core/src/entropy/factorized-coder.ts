import { CorruptPayloadError } from '../errors.js';
import type { CdfTable } from './cdf-table.js';
import type { LatentFrameDecoder, LatentFrameEncoder } from './latent-coder.js';
import { RangeDecoder, RangeEncoder } from './range-coder.js';
import { MAX_EG_PREFIX, egPrefixLength, toSigned, toUnsigned } from './signed-map.js';

/** CDF of one equiprobable bit on the 2^16 scale (escape payload bits). */
const BIT_CDF = Uint32Array.of(0, 0x8000, 0x10000);

function checkDim(table: CdfTable, n: number): void {
  if (n !== table.channels) throw new RangeError(`expected ${table.channels} latents, got ${n}`);
}

/**
 * Learned factorised prior (wire coder `rans`): each channel's latent is coded with its frozen 16-bit
 * CDF by a multi-symbol range coder. Values outside a channel's CDF range are sent as ESCAPE followed by
 * the signed value in Exp-Golomb order 0, one equiprobable bit per binary digit. Stateless across frames.
 *
 * A range coder rather than rANS: rANS must flush its 32-bit state (~28 bits per frame more than the
 * ideal code length was measured), the range coder's flush costs about one byte.
 */
export class FactorizedEncoder implements LatentFrameEncoder {
  constructor(private readonly table: CdfTable) {}

  encodeFrame(latents: Int32Array): Uint8Array {
    const t = this.table;
    checkDim(t, latents.length);
    const rc = new RangeEncoder();
    const cdf = t.cdf;
    for (let c = 0; c < t.channels; c++) {
      const v = latents[c]!;
      const s = v - t.min[c]!;
      const k = t.size[c]!;
      const o = t.offset[c]!;
      if (s >= 0 && s < k) {
        rc.encodeFreq(cdf[o + s]!, cdf[o + s + 1]! - cdf[o + s]!);
        continue;
      }
      rc.encodeFreq(cdf[o + k]!, cdf[o + k + 1]! - cdf[o + k]!);
      const x = toUnsigned(v) + 1;
      const n = egPrefixLength(x - 1);
      for (let i = 0; i < n; i++) rc.encodeFreq(0x8000, 0x8000);
      rc.encodeFreq(0, 0x8000);
      for (let i = n - 1; i >= 0; i--) rc.encodeFreq((x >>> i) & 1 ? 0x8000 : 0, 0x8000);
    }
    return rc.finish();
  }

  reset(): void {}
}

/** Decoder counterpart of {@link FactorizedEncoder}. */
export class FactorizedDecoder implements LatentFrameDecoder {
  constructor(private readonly table: CdfTable) {}

  decodeFrame(payload: Uint8Array): Int32Array {
    const t = this.table;
    const out = new Int32Array(t.channels);
    const rc = new RangeDecoder(payload);
    for (let c = 0; c < t.channels; c++) {
      const k = t.size[c]!;
      const s = rc.decodeFreq(t.cdf, t.offset[c]!, k);
      if (s < k) {
        out[c] = t.min[c]! + s;
        continue;
      }
      let n = 0;
      while (rc.decodeFreq(BIT_CDF, 0, 1) === 1) {
        if (++n >= MAX_EG_PREFIX) throw new CorruptPayloadError('escape code prefix too long');
      }
      let x = 1;
      for (let i = 0; i < n; i++) x = x * 2 + rc.decodeFreq(BIT_CDF, 0, 1);
      const v = toSigned(x - 1);
      if (v >= t.min[c]! && v < t.min[c]! + k)
        throw new CorruptPayloadError('escaped value lies inside the CDF range');
      out[c] = v;
    }
    return out;
  }

  reset(): void {}
}
