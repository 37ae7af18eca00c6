import type { StreamParams } from '../bitstream/stream-params.js';
import { assertStreamParams } from '../bitstream/stream-params.js';
import { parseFramePacket, writeFramePacket } from '../bitstream/frame-packet.js';
import type { LatentFrameDecoder, LatentFrameEncoder } from '../entropy/latent-coder.js';
import type { CdfTable } from '../entropy/cdf-table.js';
import { InvalidHeaderError, StreamOrderError } from '../errors.js';
import { coderIsAdaptive, createLatentEncoder, createStreamLatentDecoder } from './latent-coders.js';
import type { CdfResolver } from './stream-model.js';

/** Options of {@link LatentStreamEncoder}. */
export interface LatentStreamOptions {
  /**
   * A key frame (stream params included, statistics reset; a decoder can start there) every this many
   * frames; 0 = only the first and requested ones. Default 0. Unit: frames.
   */
  readonly keyFrameInterval?: number;
}

const DEFAULT_STREAM_OPTIONS = Object.freeze({ keyFrameInterval: 0 });

/** Produces one self-delimiting frame packet per frame of integer latents. */
export class LatentStreamEncoder {
  private readonly coder: LatentFrameEncoder;
  private readonly keyFrameInterval: number;
  private sequence = 0;
  private count = 0;
  private forceKey = true;

  constructor(
    readonly params: StreamParams,
    cdf?: CdfTable,
    options: LatentStreamOptions = {},
  ) {
    assertStreamParams(params);
    const o = { ...DEFAULT_STREAM_OPTIONS, ...options };
    if (!Number.isInteger(o.keyFrameInterval)) throw new TypeError('keyFrameInterval must be an integer');
    if (o.keyFrameInterval < 0) throw new RangeError('keyFrameInterval must be >= 0');
    this.keyFrameInterval = o.keyFrameInterval;
    this.coder = createLatentEncoder(params.coder, params.latentDim, cdf);
  }

  /** Makes the next frame a key frame (e.g. when a receiver joins or reports loss). */
  requestKeyFrame(): void {
    this.forceKey = true;
  }

  /** True when the next frame will be a key frame. */
  get nextIsKey(): boolean {
    const interval = this.keyFrameInterval;
    return this.forceKey || (interval > 0 && this.count % interval === 0);
  }

  /** Codes one frame into a packet. */
  encodeFrame(latents: Int32Array): Uint8Array {
    const key = this.nextIsKey;
    if (key) this.coder.reset();
    const payload = this.coder.encodeFrame(latents);
    const packet = writeFramePacket(this.params, { sequence: this.sequence, keyFrame: key }, payload);
    this.sequence = (this.sequence + 1) & 0xffff;
    this.count++;
    this.forceKey = false;
    return packet;
  }
}

/** One decoded frame packet at the latent level. */
export interface DecodedLatentFrame {
  readonly params: StreamParams;
  readonly sequence: number;
  readonly keyFrame: boolean;
  readonly latents: Int32Array;
  /** Bytes of the packet (header + payload + CRC). */
  readonly byteLength: number;
}

function sameParams(a: StreamParams, b: StreamParams): boolean {
  return (
    a.modelId === b.modelId &&
    a.profile === b.profile &&
    a.rateIndex === b.rateIndex &&
    a.coder === b.coder &&
    a.latentDim === b.latentDim
  );
}

/**
 * Consumes frame packets in order. A key frame (re)starts decoding with its params. Other frames use the
 * params of the last key frame; with the adaptive `ppm` coder they must also follow the previous frame's
 * sequence number (a lost `ppm` frame needs a key frame), `rans` frames may skip sequence numbers.
 */
export class LatentStreamDecoder {
  private coder: LatentFrameDecoder | undefined;
  private params: StreamParams | undefined;
  private nextSequence = 0;

  /** `resolveCdf` is asked about every key frame's model before anything is allocated for it. */
  constructor(private readonly resolveCdf: CdfResolver) {}

  /** Decodes the packet that `packet` holds; a decoding error leaves the decoder waiting for a key frame. */
  decodeFrame(packet: Uint8Array): DecodedLatentFrame {
    const p = parseFramePacket(packet);
    if (p.byteLength !== packet.length) {
      throw new InvalidHeaderError(`${packet.length - p.byteLength} bytes after the frame packet`);
    }
    try {
      if (p.params) {
        if (!this.coder || !this.params || !sameParams(this.params, p.params)) {
          this.coder = createStreamLatentDecoder(p.params, this.resolveCdf);
          this.params = p.params;
        }
        this.coder.reset();
      } else {
        if (!this.coder || !this.params) throw new StreamOrderError('frame before any key frame');
        if (coderIsAdaptive(this.params.coder) && p.sequence !== this.nextSequence) {
          throw new StreamOrderError(`expected frame ${this.nextSequence}, got ${p.sequence}`);
        }
      }
      const latents = this.coder.decodeFrame(p.payload);
      this.nextSequence = (p.sequence + 1) & 0xffff;
      return {
        params: this.params,
        sequence: p.sequence,
        keyFrame: p.keyFrame,
        latents,
        byteLength: p.byteLength,
      };
    } catch (err) {
      // Adaptive state may be half-updated; only a key frame can resynchronise.
      if (!this.params || coderIsAdaptive(this.params.coder) || p.keyFrame) {
        this.coder = undefined;
        this.params = undefined;
      }
      throw err;
    }
  }
}
