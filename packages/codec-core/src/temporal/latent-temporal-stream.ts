import type { CdfResolver } from '../codec/stream-model.js';
import { MAX_LATENT_MAGNITUDE } from '../entropy/signed-map.js';
import { CodecError, CorruptPayloadError, InvalidHeaderError, StreamOrderError } from '../errors.js';
import { FactorizedDecoder, FactorizedEncoder } from '../entropy/factorized-coder.js';
import { TEMPORAL_SEQUENCE_MODULO, type TemporalPacketKind } from './constants.js';
import { type IdentityLayer, decodeIdentityLayer, encodeIdentityLayer } from './identity-layer.js';
import { motionTransformById } from './motion-transform.js';
import { ResidualDecoder, ResidualEncoder } from './residual-coder.js';
import { type TemporalKeyHeader, parseTemporalPacket, writeTemporalPacket } from './temporal-packet.js';

/** One coded frame of a temporal stream at the latent level. */
export interface TemporalLatentFrame {
  readonly kind: TemporalPacketKind;
  readonly sequence: number;
  /** The packet to send. */
  readonly packet: Uint8Array;
  /** Per-frame latents the decoder holds after this packet (the prediction reference). */
  readonly motion: Int32Array;
  /** Identity layer the decoder holds after this packet. */
  readonly identity: IdentityLayer;
  /** Stream header in force. */
  readonly header: TemporalKeyHeader;
}

/** Options of {@link TemporalLatentEncoder.encodeDelta}. */
export interface DeltaOptions {
  /**
   * Residuals with |r| <= deadZone are sent as 0 (the reference keeps its value), so the decoded latent
   * stays within deadZone of the input. 0 = exact. Unit: quantisation steps of the latent.
   */
  readonly deadZone?: number;
  /** A new identity layer to send with this frame (an `identity` packet). */
  readonly identity?: IdentityLayer;
}

function checkLatents(v: Int32Array, what: string): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x > MAX_LATENT_MAGNITUDE || x < -MAX_LATENT_MAGNITUDE)
      throw new RangeError(`${what} ${x} out of range`);
  }
}

/**
 * Temporal (layered) stream encoder over integer latents: key packets code both layers intra; other
 * packets code the per-frame latents as residuals against the previous decoded frame, so encoder and
 * decoder never drift. No models are run here; descriptors go through
 * `codec.createStreamEncoder({ coding: 'temporal' })`.
 */
export class TemporalLatentEncoder {
  private sequence = 0;
  private state:
    | { header: TemporalKeyHeader; motion: Int32Array; identity: IdentityLayer; residual: ResidualEncoder }
    | undefined;

  constructor(private readonly resolveCdf: CdfResolver) {}

  /** True until the first key frame has been coded. */
  get started(): boolean {
    return this.state !== undefined;
  }

  private next(): number {
    const s = this.sequence;
    this.sequence = (s + 1) % TEMPORAL_SEQUENCE_MODULO;
    return s;
  }

  /** The per-frame integers the decoder holds (prediction reference); undefined before the first key. */
  get reference(): Int32Array | undefined {
    return this.state?.motion;
  }

  /**
   * Codes a key packet: header, identity layer and per-frame integers, all intra; resets statistics.
   * Latent layer (no `header.motionStep`): the model's latents with its CDFs. Transform layer: the
   * coefficient integers with a fresh residual coder.
   */
  encodeKey(header: TemporalKeyHeader, identity: IdentityLayer, motion: Int32Array): TemporalLatentFrame {
    checkLatents(motion, 'latent');
    const identityPayload = encodeIdentityLayer(identity, this.resolveCdf(header.identityModelId));
    const motionPayload =
      header.motionStep === undefined
        ? new FactorizedEncoder(this.resolveCdf(header.motionModelId)).encodeFrame(motion)
        : new ResidualEncoder(motion.length).encodeFrame(motion);
    const sequence = this.next();
    const packet = writeTemporalPacket({
      kind: 'key',
      sequence,
      header,
      identity: identityPayload,
      motion: motionPayload,
    });
    const residual =
      this.state?.residual.channels === motion.length
        ? this.state.residual
        : new ResidualEncoder(motion.length);
    residual.reset();
    const ref = Int32Array.from(motion);
    const id = { latents: Int32Array.from(identity.latents), lighting: Int32Array.from(identity.lighting) };
    this.state = { header, motion: ref, identity: id, residual };
    return { kind: 'key', sequence, packet, motion: ref, identity: id, header };
  }

  /** Codes a delta, skip or identity packet against the previous decoded frame. */
  encodeDelta(motion: Int32Array, options: DeltaOptions = {}): TemporalLatentFrame {
    const s = this.state;
    if (!s) throw new StreamOrderError('the first frame of a temporal stream must be a key frame');
    if (motion.length !== s.motion.length) {
      throw new RangeError(`expected ${s.motion.length} latents, got ${motion.length}`);
    }
    checkLatents(motion, 'latent');
    const dz = options.deadZone ?? 0;
    if (!Number.isInteger(dz) || dz < 0) throw new RangeError('deadZone must be an integer >= 0');
    const residual = new Int32Array(motion.length);
    for (let c = 0; c < motion.length; c++) {
      const r = motion[c]! - s.motion[c]!;
      if (r > dz || r < -dz) residual[c] = r;
    }
    return this.encodeResidual(residual, options.identity);
  }

  /**
   * Codes a delta, skip or identity packet carrying `residual` (the decoder adds it to {@link reference});
   * an all-zero residual without identity is a skip packet.
   */
  encodeResidual(residual: Int32Array, identity?: IdentityLayer): TemporalLatentFrame {
    const s = this.state;
    if (!s) throw new StreamOrderError('the first frame of a temporal stream must be a key frame');
    if (residual.length !== s.motion.length) {
      throw new RangeError(`expected ${s.motion.length} residuals, got ${residual.length}`);
    }
    let nonZero = 0;
    for (let c = 0; c < residual.length; c++) {
      if (residual[c] === 0) continue;
      nonZero++;
      const v = s.motion[c]! + residual[c]!;
      if (v > MAX_LATENT_MAGNITUDE || v < -MAX_LATENT_MAGNITUDE)
        throw new RangeError(`latent ${v} out of range`);
    }
    const sequence = this.next();
    let packet: Uint8Array;
    let kind: TemporalPacketKind;
    if (identity) {
      const payload = encodeIdentityLayer(identity, this.resolveCdf(s.header.identityModelId));
      kind = 'identity';
      packet = writeTemporalPacket({
        kind,
        sequence,
        identity: payload,
        motion: s.residual.encodeFrame(residual),
      });
      s.identity = {
        latents: Int32Array.from(identity.latents),
        lighting: Int32Array.from(identity.lighting),
      };
    } else if (nonZero === 0) {
      kind = 'skip';
      s.residual.skipFrame();
      packet = writeTemporalPacket({ kind, sequence, motion: new Uint8Array(0) });
    } else {
      kind = 'delta';
      packet = writeTemporalPacket({ kind, sequence, motion: s.residual.encodeFrame(residual) });
    }
    if (nonZero > 0) {
      const ref = Int32Array.from(s.motion);
      for (let c = 0; c < ref.length; c++) ref[c] = ref[c]! + residual[c]!;
      s.motion = ref;
    }
    return { kind, sequence, packet, motion: s.motion, identity: s.identity, header: s.header };
  }
}

/** One decoded temporal packet at the latent level. */
export interface DecodedTemporalLatents {
  readonly kind: TemporalPacketKind;
  readonly sequence: number;
  readonly header: TemporalKeyHeader;
  /** Per-frame latents after this packet. */
  readonly motion: Int32Array;
  /** Identity layer after this packet. */
  readonly identity: IdentityLayer;
  /** False when the per-frame latents equal the previous frame's (skip packets, all-zero residuals). */
  readonly motionChanged: boolean;
  /** True on key and identity packets. */
  readonly identityChanged: boolean;
}

/**
 * Decoder counterpart of {@link TemporalLatentEncoder}. Packets must arrive in order: a sequence gap,
 * a {@link reportLoss} call or any decoding error puts it in the "needs key frame" state, where every
 * non-key packet is refused with {@link StreamOrderError} until the next key packet.
 */
export class TemporalLatentDecoder {
  private expected = 0;
  private state:
    | { header: TemporalKeyHeader; motion: Int32Array; identity: IdentityLayer; residual: ResidualDecoder }
    | undefined;
  private waiting = true;

  constructor(private readonly resolveCdf: CdfResolver) {}

  /** True when only a key packet can be decoded next (start, after a loss or an error). */
  get needsKeyFrame(): boolean {
    return this.waiting;
  }

  /** Tells the decoder that a packet was lost (e.g. the transport saw a gap): wait for a key frame. */
  reportLoss(): void {
    this.waiting = true;
  }

  /** Decodes one packet. Errors are CodecError subclasses and leave the decoder waiting for a key frame. */
  decode(bytes: Uint8Array): DecodedTemporalLatents {
    try {
      return this.decodeInner(bytes);
    } catch (err) {
      this.waiting = true;
      if (err instanceof CodecError) throw err;
      throw new CorruptPayloadError(`temporal packet: ${(err as Error).message}`);
    }
  }

  private decodeInner(bytes: Uint8Array): DecodedTemporalLatents {
    const p = parseTemporalPacket(bytes);
    if (p.kind === 'key') {
      const header = p.header!;
      // Every size below comes from a resolved model's CDF table or a known transform, never from the
      // packet: an unknown id throws UnknownModelIdError before anything is allocated for it.
      const identity = decodeIdentityLayer(p.identity!, this.resolveCdf(header.identityModelId));
      let motion: Int32Array;
      if (header.motionStep === undefined) {
        motion = new FactorizedDecoder(this.resolveCdf(header.motionModelId)).decodeFrame(p.motion);
      } else {
        motion = new ResidualDecoder(motionTransformById(header.motionModelId).dims).decodeFrame(p.motion);
        for (let c = 0; c < motion.length; c++) {
          const v = motion[c]!;
          if (v > MAX_LATENT_MAGNITUDE || v < -MAX_LATENT_MAGNITUDE) {
            throw new CorruptPayloadError('decoded coefficient out of range');
          }
        }
      }
      const residual =
        this.state?.residual.channels === motion.length
          ? this.state.residual
          : new ResidualDecoder(motion.length);
      residual.reset();
      this.state = { header, motion, identity, residual };
      this.waiting = false;
      this.expected = (p.sequence + 1) % TEMPORAL_SEQUENCE_MODULO;
      return {
        kind: p.kind,
        sequence: p.sequence,
        header,
        motion,
        identity,
        motionChanged: true,
        identityChanged: true,
      };
    }
    const s = this.state;
    if (this.waiting || !s)
      throw new StreamOrderError(`${p.kind} packet ${p.sequence} while waiting for a key frame`);
    if (p.sequence !== this.expected) {
      throw new StreamOrderError(`expected packet ${this.expected}, got ${p.sequence}: need a key frame`);
    }
    let identityChanged = false;
    if (p.kind === 'identity') {
      s.identity = decodeIdentityLayer(p.identity!, this.resolveCdf(s.header.identityModelId));
      identityChanged = true;
    }
    let motionChanged = false;
    if (p.kind === 'skip') {
      s.residual.skipFrame();
    } else {
      const r = s.residual.decodeFrame(p.motion);
      const next = Int32Array.from(s.motion);
      for (let c = 0; c < next.length; c++) {
        if (r[c] === 0) continue;
        const v = next[c]! + r[c]!;
        if (v > MAX_LATENT_MAGNITUDE || v < -MAX_LATENT_MAGNITUDE) {
          throw new CorruptPayloadError('decoded latent out of range');
        }
        next[c] = v;
        motionChanged = true;
      }
      if (motionChanged) s.motion = next;
      if (p.kind === 'delta' && !motionChanged)
        throw new InvalidHeaderError('delta packet with an all-zero residual');
    }
    this.expected = (p.sequence + 1) % TEMPORAL_SEQUENCE_MODULO;
    return {
      kind: p.kind,
      sequence: p.sequence,
      header: s.header,
      motion: s.motion,
      identity: s.identity,
      motionChanged,
      identityChanged,
    };
  }
}
