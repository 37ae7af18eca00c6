import { CorruptPayloadError } from '../errors.js';
import { RangeDecoder, RangeEncoder } from './range-coder.js';
import type { LatentFrameDecoder, LatentFrameEncoder } from './latent-coder.js';
import { PpmModel, magnitudeClass, prefixSlot, suffixSlot } from './ppm-model.js';
import { MAX_EG_PREFIX, MAX_LATENT_MAGNITUDE, egPrefixLength, toSigned, toUnsigned } from './signed-map.js';

/**
 * The paper's back-end: signed -> unsigned map, Exp-Golomb order-0 binarisation, every bin coded by the
 * binary range coder with probabilities from a {@link PpmModel}. Statistics persist across frames until
 * {@link reset}.
 */
export class PpmEncoder implements LatentFrameEncoder {
  private readonly model: PpmModel;
  private readonly classes: Uint8Array;

  constructor(readonly latentDim: number) {
    this.model = new PpmModel(latentDim);
    this.classes = new Uint8Array(latentDim);
  }

  encodeFrame(latents: Int32Array): Uint8Array {
    if (latents.length !== this.latentDim) {
      throw new RangeError(`expected ${this.latentDim} latents, got ${latents.length}`);
    }
    const m = this.model;
    const rc = new RangeEncoder();
    for (let c = 0; c < this.latentDim; c++) {
      const v = latents[c]!;
      if (v > MAX_LATENT_MAGNITUDE || v < -MAX_LATENT_MAGNITUDE) {
        throw new RangeError(`latent ${v} exceeds +-${MAX_LATENT_MAGNITUDE}`);
      }
      const u = toUnsigned(v);
      const n = egPrefixLength(u);
      for (let i = 0; i <= n; i++) {
        const bit = i < n ? 1 : 0;
        rc.encode(bit, m.select(c, prefixSlot(i)));
        m.update(bit);
      }
      const x = u + 1;
      for (let i = n - 1; i >= 0; i--) {
        const bit = (x >>> i) & 1;
        rc.encode(bit, m.select(c, suffixSlot(n, n - 1 - i)));
        m.update(bit);
      }
      this.classes[c] = magnitudeClass(n);
    }
    m.pushHistory(this.classes);
    return rc.finish();
  }

  reset(): void {
    this.model.reset();
  }
}

/** Decoder counterpart of {@link PpmEncoder}; must see the same frames in the same order. */
export class PpmDecoder implements LatentFrameDecoder {
  private readonly model: PpmModel;
  private readonly classes: Uint8Array;

  constructor(readonly latentDim: number) {
    this.model = new PpmModel(latentDim);
    this.classes = new Uint8Array(latentDim);
  }

  decodeFrame(payload: Uint8Array): Int32Array {
    const m = this.model;
    const rc = new RangeDecoder(payload);
    const out = new Int32Array(this.latentDim);
    for (let c = 0; c < this.latentDim; c++) {
      let n = 0;
      for (;;) {
        const bit = rc.decode(m.select(c, prefixSlot(n)));
        m.update(bit);
        if (bit === 0) break;
        if (++n >= MAX_EG_PREFIX) throw new CorruptPayloadError('Exp-Golomb prefix too long');
      }
      let x = 1;
      for (let i = n - 1; i >= 0; i--) {
        const bit = rc.decode(m.select(c, suffixSlot(n, n - 1 - i)));
        m.update(bit);
        x = x * 2 + bit;
      }
      const v = toSigned(x - 1);
      if (v > MAX_LATENT_MAGNITUDE || v < -MAX_LATENT_MAGNITUDE)
        throw new CorruptPayloadError('latent out of range');
      out[c] = v;
      this.classes[c] = magnitudeClass(n);
    }
    m.pushHistory(this.classes);
    return out;
  }

  reset(): void {
    this.model.reset();
  }
}
