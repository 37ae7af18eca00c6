import { CorruptPayloadError } from '../errors.js';
import { RangeDecoder, RangeEncoder } from '../entropy/range-coder.js';
import { MAX_EG_PREFIX, MAX_LATENT_MAGNITUDE, egPrefixLength } from '../entropy/signed-map.js';
import { ResidualModel } from './residual-model.js';

/**
 * Codes frames of integer residuals with a {@link ResidualModel} and the binary range coder: per
 * channel a zero flag, then for non-zero values a sign bit and |r| - 1 in Exp-Golomb order 0.
 * Statistics persist across frames until {@link reset}; encoder and decoder must see the same frames.
 */
export class ResidualEncoder {
  private readonly model: ResidualModel;

  constructor(readonly channels: number) {
    this.model = new ResidualModel(channels);
  }

  /** Entropy-codes one frame of `channels` residuals. */
  encodeFrame(residual: Int32Array): Uint8Array {
    if (residual.length !== this.channels) {
      throw new RangeError(`expected ${this.channels} residuals, got ${residual.length}`);
    }
    const m = this.model;
    const rc = new RangeEncoder();
    let activity = 0;
    for (let c = 0; c < this.channels; c++) {
      const r = residual[c]!;
      const zeroBit = r === 0 ? 0 : 1;
      rc.encode(zeroBit, m.zero(c, activity));
      m.update(zeroBit);
      if (r !== 0) {
        activity++;
        const signBit = r > 0 ? 0 : 1;
        rc.encode(signBit, m.sign(c));
        m.update(signBit);
        const mag = r > 0 ? r : -r;
        if (mag > 2 * MAX_LATENT_MAGNITUDE) throw new RangeError(`residual ${r} out of range`);
        const x = mag; // |r| - 1 + 1
        const n = egPrefixLength(mag - 1);
        for (let i = 0; i <= n; i++) {
          const bit = i < n ? 1 : 0;
          rc.encode(bit, m.prefix(c, i));
          m.update(bit);
        }
        for (let i = n - 1; i >= 0; i--) {
          const bit = Math.floor(x / 2 ** i) & 1;
          rc.encode(bit, m.suffix(n, n - 1 - i));
          m.update(bit);
        }
      }
      m.record(c, r);
    }
    return rc.finish();
  }

  /** Notes a skipped (all-zero, uncoded) frame. */
  skipFrame(): void {
    this.model.recordSkip();
  }

  /** Forgets statistics (key frame). */
  reset(): void {
    this.model.reset();
  }
}

/** Decoder counterpart of {@link ResidualEncoder}. */
export class ResidualDecoder {
  private readonly model: ResidualModel;

  constructor(readonly channels: number) {
    this.model = new ResidualModel(channels);
  }

  /** Decodes one frame of residuals; impossible codes raise {@link CorruptPayloadError}. */
  decodeFrame(payload: Uint8Array): Int32Array {
    const m = this.model;
    const rc = new RangeDecoder(payload);
    const out = new Int32Array(this.channels);
    let activity = 0;
    for (let c = 0; c < this.channels; c++) {
      let r = 0;
      const zeroBit = rc.decode(m.zero(c, activity));
      m.update(zeroBit);
      if (zeroBit === 1) {
        activity++;
        const signBit = rc.decode(m.sign(c));
        m.update(signBit);
        let n = 0;
        for (;;) {
          const bit = rc.decode(m.prefix(c, n));
          m.update(bit);
          if (bit === 0) break;
          if (++n >= MAX_EG_PREFIX) throw new CorruptPayloadError('residual Exp-Golomb prefix too long');
        }
        let x = 1;
        for (let i = n - 1; i >= 0; i--) {
          const bit = rc.decode(m.suffix(n, n - 1 - i));
          m.update(bit);
          x = x * 2 + bit;
        }
        r = signBit === 0 ? x : -x;
      }
      out[c] = r;
      m.record(c, r);
    }
    return out;
  }

  /** Notes a skipped (all-zero, uncoded) frame. */
  skipFrame(): void {
    this.model.recordSkip();
  }

  /** Forgets statistics (key frame). */
  reset(): void {
    this.model.reset();
  }
}
