import type {
  DecodedFaceFrame,
  EncodedFaceFrame,
  FaceStreamDecoder,
  FaceStreamEncoder,
  StreamCoding,
} from '../codec/face-stream.js';
import type { PortableSemfaceCodec } from '../codec/portable-codec.js';
import { DESCRIPTOR_LENGTH, DescriptorField, Profile } from '../descriptor/layout.js';
import { MAX_LATENT_MAGNITUDE } from '../entropy/signed-map.js';
import { InvalidDescriptorError } from '../errors.js';
import type { ModelManifestEntry } from '../models/manifest.js';
import { LIGHTING_STEP_UNIT, MOTION_STEP_UNIT } from './constants.js';
import { type IdentityLayer, LIGHTING_LENGTH } from './identity-layer.js';
import {
  TemporalLatentDecoder,
  TemporalLatentEncoder,
  type TemporalLatentFrame,
} from './latent-temporal-stream.js';
import {
  type MotionTransform,
  builtinMotionTransform,
  clampLatent,
  motionTransformById,
} from './motion-transform.js';
import { RateController } from './rate-controller.js';
import { STEP_LADDER_MAX_INDEX, StepController, stepUnitsOf } from './step-controller.js';
import type { TemporalKeyHeader } from './temporal-packet.js';

/** Per-frame layer codings of a temporal stream. */
export const MOTION_LAYERS = Object.freeze(['transform', 'latent'] as const);

/** Name of a per-frame layer coding. */
export type MotionLayerName = (typeof MOTION_LAYERS)[number];

/** Options of a temporal stream encoder (`createStreamEncoder({ coding: 'temporal', ... })`). */
export interface TemporalStreamOptions {
  /**
   * Per-frame layer coding. `transform`: the built-in motion transform's coefficients (expression,
   * rotation, translation; a fixed KLT) quantised with a uniform step that rate control sets per group
   * of pictures (version 2 key packets). `latent`: the expression-profile model's latents (version 1).
   * Default `latent` (the SDK's relay tests still assume its skip-heavy packet pattern; see
   * docs/streaming.md), `transform` when the codec has no expression-profile models. On the talking-head
   * clips `transform` has the lower error at targets of 1.5 kbit/s and above, `latent` below.
   */
  readonly motionLayer?: MotionLayerName;
  /**
   * Transform layer with rate control off: the quantiser step. Default 0.2 (expression, rotation and
   * translation errors no worse than intra coding at its highest rate point on the talking-head clips).
   * Unit: transform coefficient units (expression values; rotation and translation x10), a multiple of 1e-4.
   */
  readonly motionStep?: number;
  /** Frames per second the descriptors arrive at (sets key-frame spacing and the per-frame budget). Default 25. Unit: frame/s. */
  readonly frameRate?: number;
  /** Seconds between periodic key frames; 0 = only the first and requested ones. Default 2. Unit: s. */
  readonly keyFrameIntervalSeconds?: number;
  /** Rate control target; 0 = off (fixed `rateIndex`, dead zone `deadZone`). Default 2000. Unit: bit/s. */
  readonly targetBitrate?: number;
  /**
   * Per-frame layer (expression-profile model) rate index of the first key frame; with rate control off, of
   * all. Default: with rate control on, the lowest available (on the trained models even the lowest rate
   * point with a dead zone of 1 runs at about 1.3 kbit/s, and the controller only moves one step per key
   * frame, so starting high overshoots for seconds); with it off, the highest.
   */
  readonly rateIndex?: number;
  /** Identity-profile model rate index for the identity layer. Default: the lowest available. */
  readonly identityRateIndex?: number;
  /**
   * Dead zone while within budget. Latent layer: residuals with |r| <= this are not sent (latent steps).
   * Transform layer: the encoder's rounding offset is 0.5 - 0.25 x this (0 = plain rounding, 1 = 0.25,
   * larger values widen the zero bin by a quarter step each). Default 1. Unit: levels.
   */
  readonly deadZone?: number;
  /** Largest dead zone rate control may use. Default 6. Unit: levels (see {@link deadZone}). */
  readonly maxDeadZone?: number;
  /**
   * Weight of the current frame in the running average of the identity layer's inputs (shape, texture,
   * lighting): per-frame fits of one face jitter, the average is what is sent. 1 = no averaging.
   * Default 0.1. Unit: fraction in (0, 1].
   */
  readonly identitySmoothing?: number;
  /**
   * The identity layer is re-sent when the mean |difference| of the averaged shape + texture values to
   * the last sent ones exceeds this (within one face they wander by about 0.5; two faces differ by about
   * 1.1). Default 0.7. Unit: descriptor units.
   */
  readonly identityThreshold?: number;
  /** ... or when the mean |difference| of the averaged lighting values exceeds this. Default 0.1. Unit: descriptor units. */
  readonly lightingThreshold?: number;
  /** Lighting quantiser step. Default 0.02. Unit: descriptor units (multiple of 1e-4). */
  readonly lightingStep?: number;
  /**
   * A receiver task the encoder protects (transform layer only), e.g. the SDK's expression label: a
   * function from a descriptor to a label compared with `===`. A delta frame whose decoded descriptor
   * would get another label than the input is re-coded with smaller dead zones (down to plain rounding),
   * and a frame is not skipped while its label differs; the extra bits go through rate control like any
   * others. It is called with the input descriptor and with candidates whose per-frame fields
   * (expression, rotation, translation) are as the decoder would output them and whose other fields are
   * the input's, so it must only read the per-frame fields. Default: none.
   */
  readonly taskLabel?: TaskLabel;
}

/** Label of a receiver task on a descriptor (see {@link TemporalStreamOptions.taskLabel}). */
export type TaskLabel = (descriptor: Float32Array) => unknown;

const DEFAULT_TEMPORAL_OPTIONS = Object.freeze({
  motionStep: 0.2,
  frameRate: 25,
  keyFrameIntervalSeconds: 2,
  targetBitrate: 2000,
  deadZone: 1,
  maxDeadZone: 6,
  identitySmoothing: 0.1,
  identityThreshold: 0.7,
  lightingThreshold: 0.1,
  lightingStep: 0.02,
});

const MOTION_FIELDS = Profile.expression;
const IDENTITY_FIELDS = Profile.identity;

function meanAbsDiff(
  a: Float32Array,
  b: Float32Array,
  fields: readonly (keyof typeof DescriptorField)[],
): number {
  let sum = 0;
  let n = 0;
  for (const name of fields) {
    const f = DescriptorField[name];
    for (let i = f.start; i < f.end; i++) {
      sum += Math.abs(a[i]! - b[i]!);
      n++;
    }
  }
  return sum / n;
}

function rateIndices(codec: PortableSemfaceCodec, profile: 'expression' | 'identity'): number[] {
  return [...new Set(codec.store.models.filter((m) => m.profile === profile).map((m) => m.rateIndex))].sort(
    (a, b) => a - b,
  );
}

function resolveOptions(codec: PortableSemfaceCodec, options: TemporalStreamOptions) {
  const motionRates = rateIndices(codec, 'expression');
  const motionLayer: MotionLayerName =
    options.motionLayer ?? (motionRates.length === 0 ? 'transform' : 'latent');
  if (!MOTION_LAYERS.includes(motionLayer))
    throw new TypeError(`motionLayer must be one of ${MOTION_LAYERS.join(', ')}`);
  const identityRates = rateIndices(codec, 'identity');
  if ((motionLayer === 'latent' && motionRates.length === 0) || identityRates.length === 0) {
    throw new RangeError(
      motionLayer === 'latent'
        ? 'a temporal stream with the latent layer needs expression- and identity-profile models'
        : 'a temporal stream needs identity-profile models',
    );
  }
  const taskLabel = options.taskLabel;
  if (taskLabel !== undefined && typeof taskLabel !== 'function')
    throw new TypeError('taskLabel must be a function');
  if (taskLabel !== undefined && motionLayer !== 'transform')
    throw new RangeError("taskLabel needs motionLayer 'transform'");
  const {
    motionLayer: _omit,
    taskLabel: _label,
    ...numeric
  } = {
    ...DEFAULT_TEMPORAL_OPTIONS,
    rateIndex:
      motionRates.length === 0
        ? 0
        : (options.targetBitrate ?? DEFAULT_TEMPORAL_OPTIONS.targetBitrate) > 0
          ? motionRates[0]!
          : motionRates[motionRates.length - 1]!,
    identityRateIndex: identityRates[0]!,
    ...options,
  };
  for (const [k, v] of Object.entries(numeric)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${k} must be a finite number`);
  }
  const o = { ...numeric, motionLayer, taskLabel };
  if (o.frameRate <= 0 || o.frameRate > 1000) throw new RangeError('frameRate must be in (0, 1000]');
  if (o.keyFrameIntervalSeconds < 0) throw new RangeError('keyFrameIntervalSeconds must be >= 0');
  if (o.targetBitrate < 0) throw new RangeError('targetBitrate must be >= 0');
  if (motionLayer === 'latent' && !motionRates.includes(o.rateIndex))
    throw new RangeError(`no expression model with rate index ${o.rateIndex}`);
  const motionStepUnits = Math.round(o.motionStep / MOTION_STEP_UNIT);
  if (motionStepUnits < 1 || motionStepUnits > 0xffff)
    throw new RangeError('motionStep must be in [1e-4, 6.5535]');
  if (!identityRates.includes(o.identityRateIndex)) {
    throw new RangeError(`no identity model with rate index ${o.identityRateIndex}`);
  }
  for (const k of ['deadZone', 'maxDeadZone'] as const) {
    if (!Number.isInteger(o[k])) throw new TypeError(`${k} must be an integer`);
    if (o[k] < 0 || o[k] > 1000) throw new RangeError(`${k} must be in 0..1000`);
  }
  if (o.maxDeadZone < o.deadZone) throw new RangeError('maxDeadZone must be >= deadZone');
  if (o.identityThreshold < 0 || o.lightingThreshold < 0) throw new RangeError('thresholds must be >= 0');
  if (o.identitySmoothing <= 0 || o.identitySmoothing > 1)
    throw new RangeError('identitySmoothing must be in (0, 1]');
  const stepUnits = Math.round(o.lightingStep / LIGHTING_STEP_UNIT);
  if (stepUnits < 1 || stepUnits > 0xffff) throw new RangeError('lightingStep must be in [1e-4, 6.5535]');
  return { ...o, motionRates, stepUnits, motionStepUnits };
}

function checkDescriptor(d: Float32Array): void {
  if (!(d instanceof Float32Array) || d.length !== DESCRIPTOR_LENGTH) {
    throw new InvalidDescriptorError(`descriptor must be a Float32Array of length ${DESCRIPTOR_LENGTH}`);
  }
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) throw new InvalidDescriptorError(`descriptor value ${i} is not finite`);
  }
}

/**
 * Closed-loop residual of transform coefficients `y` against the decoder's integers `ref`:
 * `r = sign(e) * max(0, floor(|e| + offset))` with `e = y / step - ref` and the rounding offset
 * `0.5 - 0.25 * deadZone`.
 */
function transformResidual(y: Float64Array, ref: Int32Array, step: number, deadZone: number): Int32Array {
  const offset = 0.5 - 0.25 * deadZone;
  const residual = new Int32Array(y.length);
  for (let j = 0; j < y.length; j++) {
    const e = y[j]! / step - ref[j]!;
    const m = Math.floor(Math.abs(e) + offset);
    if (m > 0) residual[j] = clampLatent(ref[j]! + (e > 0 ? m : -m)) - ref[j]!;
  }
  return residual;
}

/**
 * Turns the integer state of a temporal stream into descriptors; shared by the decoder and the encoder's
 * reconstruction so both run the same arithmetic. Synthesis runs only for layers that changed.
 */
class TemporalSynthesiser {
  private identityKey: IdentityLayer | undefined;
  private identityModel = '';
  private identityPart = new Float32Array(DESCRIPTOR_LENGTH);
  private motionKey: Int32Array | undefined;
  private motionModel = '';
  private motionPart = new Float32Array(DESCRIPTOR_LENGTH);

  constructor(private readonly codec: PortableSemfaceCodec) {}

  async descriptor(
    header: TemporalKeyHeader,
    motion: Int32Array,
    identity: IdentityLayer,
  ): Promise<Float32Array> {
    const store = this.codec.store;
    if (this.identityKey !== identity || this.identityModel !== header.identityModelId) {
      const [x] = await this.codec.synthesise([identity.latents], store.byId(header.identityModelId));
      const part = Float32Array.from(x!);
      const light = DescriptorField.lighting;
      const step = header.lightingStep * LIGHTING_STEP_UNIT;
      for (let i = 0; i < LIGHTING_LENGTH; i++) part[light.start + i] = identity.lighting[i]! * step;
      this.identityPart = part;
      this.identityKey = identity;
      this.identityModel = header.identityModelId;
    }
    if (this.motionKey !== motion || this.motionModel !== header.motionModelId) {
      if (header.motionStep === undefined) {
        const [x] = await this.codec.synthesise([motion], store.byId(header.motionModelId));
        this.motionPart = Float32Array.from(x!);
      } else {
        const part = new Float32Array(DESCRIPTOR_LENGTH);
        motionTransformById(header.motionModelId).synthesise(
          motion,
          header.motionStep * MOTION_STEP_UNIT,
          part,
        );
        this.motionPart = part;
      }
      this.motionKey = motion;
      this.motionModel = header.motionModelId;
    }
    const out = new Float32Array(DESCRIPTOR_LENGTH);
    for (const name of [...IDENTITY_FIELDS, 'lighting'] as const) {
      const f = DescriptorField[name];
      out.set(this.identityPart.subarray(f.start, f.end), f.start);
    }
    for (const name of MOTION_FIELDS) {
      const f = DescriptorField[name];
      out.set(this.motionPart.subarray(f.start, f.end), f.start);
    }
    return out;
  }
}

/**
 * Layered temporal stream encoder. The identity layer (shape, texture: identity-profile model; lighting:
 * uniform quantiser) is sent on key frames and when it changes beyond a threshold; the per-frame layer
 * (expression, rotation, translation: expression-profile model) is coded as the residual of its integer
 * latents against the previous decoded frame, with a rate-controlled dead zone. Key frames come first,
 * every `keyFrameIntervalSeconds` and on {@link requestKeyFrame}. Calls must not overlap (await each).
 */
class TemporalStreamEncoder implements FaceStreamEncoder {
  private readonly o: ReturnType<typeof resolveOptions>;
  private readonly latent: TemporalLatentEncoder;
  private readonly rate: RateController;
  private readonly keyInterval: number;
  private readonly synth: TemporalSynthesiser;
  private readonly transform: MotionTransform | undefined;
  private readonly steps: StepController | undefined;
  private stepIndex = -1;
  private stepUnits = 0;
  private forceKey = true;
  private sinceKey = 0;
  private motionModel: ModelManifestEntry | undefined;
  private identityModel: ModelManifestEntry;
  private lastIdentityInput: Float32Array | undefined;
  private identityAverage: Float32Array | undefined;

  constructor(
    private readonly codec: PortableSemfaceCodec,
    options: TemporalStreamOptions = {},
  ) {
    this.o = resolveOptions(codec, options);
    this.latent = new TemporalLatentEncoder((id) => codec.store.cdf(id));
    this.keyInterval = Math.round(this.o.keyFrameIntervalSeconds * this.o.frameRate);
    this.rate = new RateController({
      targetBitrate: this.o.targetBitrate,
      frameRate: this.o.frameRate,
      rateIndices: this.o.motionLayer === 'latent' ? this.o.motionRates : [0],
      initialRateIndex: this.o.motionLayer === 'latent' ? this.o.rateIndex : 0,
      baseDeadZone: this.o.deadZone,
      maxDeadZone: this.o.maxDeadZone,
    });
    this.identityModel = codec.store.find('identity', this.o.identityRateIndex);
    this.synth = new TemporalSynthesiser(codec);
    if (this.o.motionLayer === 'transform') {
      this.transform = builtinMotionTransform();
      if (this.o.targetBitrate > 0) {
        this.steps = new StepController({
          targetBitrate: this.o.targetBitrate,
          frameRate: this.o.frameRate,
          maxIndex: STEP_LADDER_MAX_INDEX,
        });
      }
    }
  }

  /** Makes the next frame a key frame (a receiver joined or lost a packet). */
  requestKeyFrame(): void {
    this.forceKey = true;
  }

  private async identityLayer(descriptor: Float32Array): Promise<IdentityLayer> {
    const [latents] = await this.codec.analyse([descriptor], this.identityModel);
    const lighting = new Int32Array(LIGHTING_LENGTH);
    const f = DescriptorField.lighting;
    const step = this.o.stepUnits * LIGHTING_STEP_UNIT;
    for (let i = 0; i < LIGHTING_LENGTH; i++) {
      const v = Math.round(descriptor[f.start + i]! / step);
      lighting[i] = Math.max(-MAX_LATENT_MAGNITUDE, Math.min(MAX_LATENT_MAGNITUDE, v));
    }
    this.lastIdentityInput = Float32Array.from(descriptor);
    return { latents: Int32Array.from(latents!), lighting };
  }

  /** Folds the identity fields of `descriptor` into the running average and returns the average. */
  private averageIdentity(descriptor: Float32Array): Float32Array {
    const avg = this.identityAverage;
    if (!avg) {
      this.identityAverage = Float32Array.from(descriptor);
      return this.identityAverage;
    }
    const a = this.o.identitySmoothing;
    for (const name of [...IDENTITY_FIELDS, 'lighting'] as const) {
      const f = DescriptorField[name];
      for (let i = f.start; i < f.end; i++) avg[i] = avg[i]! + a * (descriptor[i]! - avg[i]!);
    }
    return avg;
  }

  private identityChanged(average: Float32Array): boolean {
    const last = this.lastIdentityInput;
    if (!last) return true;
    return (
      meanAbsDiff(average, last, IDENTITY_FIELDS) > this.o.identityThreshold ||
      meanAbsDiff(average, last, ['lighting']) > this.o.lightingThreshold
    );
  }

  /** Encodes one 257-D descriptor into one packet. */
  async encodeFrame(descriptor: Float32Array): Promise<EncodedFaceFrame> {
    checkDescriptor(descriptor);
    const key =
      this.forceKey || !this.latent.started || (this.keyInterval > 0 && this.sinceKey >= this.keyInterval);
    const average = this.averageIdentity(descriptor);
    let frame: TemporalLatentFrame;
    let deadZone = 0;
    if (this.transform) {
      ({ frame, deadZone } = await this.encodeTransformFrame(descriptor, average, key));
    } else if (key) {
      const rateIndex = this.rate.keyFrameRateIndex();
      this.motionModel = this.codec.store.find('expression', rateIndex);
      const [motion] = await this.codec.analyse([descriptor], this.motionModel);
      const identity = await this.identityLayer(average);
      const header: TemporalKeyHeader = {
        motionModelId: this.motionModel.id,
        identityModelId: this.identityModel.id,
        lightingStep: this.o.stepUnits,
      };
      frame = this.latent.encodeKey(header, identity, motion!);
      this.forceKey = false;
      this.sinceKey = 1;
    } else {
      const [motion] = await this.codec.analyse([descriptor], this.motionModel!);
      const identity = this.identityChanged(average) ? await this.identityLayer(average) : undefined;
      deadZone = this.rate.deadZone();
      frame = this.latent.encodeDelta(motion!, { deadZone, identity });
      this.sinceKey++;
    }
    this.rate.record(frame.packet.length * 8);
    this.steps?.record(frame.packet.length * 8);
    return {
      kind: frame.kind,
      packet: frame.packet,
      modelId: frame.header.motionModelId,
      profile: 'full',
      rateIndex: this.transform ? this.stepIndex : this.motionModel!.rateIndex,
      motionStep: this.transform ? this.stepUnits * MOTION_STEP_UNIT : undefined,
      deadZone,
      latents: frame,
    };
  }

  /**
   * Transform layer: key frames code the rounded coefficients intra; other frames the closed-loop
   * residual against the decoder's integers ({@link transformResidual}), with `taskLabel` at the
   * largest dead zone that keeps the label.
   */
  private async encodeTransformFrame(
    descriptor: Float32Array,
    average: Float32Array,
    key: boolean,
  ): Promise<{ frame: TemporalLatentFrame; deadZone: number }> {
    const t = this.transform!;
    const y = t.analyse(descriptor);
    if (key) {
      if (this.steps) {
        this.stepIndex = this.steps.keyFrameIndex();
        this.stepUnits = stepUnitsOf(this.stepIndex);
      } else {
        this.stepUnits = this.o.motionStepUnits;
      }
      const identity = await this.identityLayer(average);
      const header: TemporalKeyHeader = {
        motionModelId: t.id,
        identityModelId: this.identityModel.id,
        lightingStep: this.o.stepUnits,
        motionStep: this.stepUnits,
      };
      const frame = this.latent.encodeKey(header, identity, t.quantise(y, this.stepUnits * MOTION_STEP_UNIT));
      this.forceKey = false;
      this.sinceKey = 1;
      return { frame, deadZone: 0 };
    }
    const identity = this.identityChanged(average) ? await this.identityLayer(average) : undefined;
    const rateDeadZone = this.rate.deadZone();
    const step = this.stepUnits * MOTION_STEP_UNIT;
    const ref = this.latent.reference!;
    let deadZone = rateDeadZone;
    let residual = transformResidual(y, ref, step, deadZone);
    const taskLabel = this.o.taskLabel;
    if (taskLabel) {
      // Spend bits only where the receiver's answer would change: smaller dead zones until the label
      // holds; if none keeps it, the rate-controlled residual (the cheapest) goes out.
      const want = await taskLabel(descriptor);
      for (let dz = rateDeadZone; ; dz--) {
        const r = dz === rateDeadZone ? residual : transformResidual(y, ref, step, dz);
        if ((await taskLabel(this.transformCandidate(descriptor, ref, r, step))) === want) {
          residual = r;
          deadZone = dz;
          break;
        }
        if (dz === 0) break;
      }
    }
    const frame = this.latent.encodeResidual(residual, identity);
    this.sinceKey++;
    return { frame, deadZone };
  }

  /** `descriptor` with its per-frame fields replaced by what the decoder outputs for `ref + residual`. */
  private transformCandidate(
    descriptor: Float32Array,
    ref: Int32Array,
    residual: Int32Array,
    step: number,
  ): Float32Array {
    const motion = new Int32Array(ref.length);
    for (let j = 0; j < ref.length; j++) motion[j] = ref[j]! + residual[j]!;
    const out = Float32Array.from(descriptor);
    this.transform!.synthesise(motion, step, out);
    return out;
  }

  /** The descriptor a decoder outputs for `frame` (same synthesis path as {@link TemporalStreamDecoder}). */
  reconstruct(frame: EncodedFaceFrame): Promise<Float32Array> {
    const l = frame.latents;
    if (!l) throw new RangeError('not a frame of a temporal stream');
    return this.synth.descriptor(l.header, l.motion, l.identity);
  }
}

/**
 * Decoder of a temporal stream. A lost or dropped packet (sequence gap, {@link reportLoss}) or a decoding
 * error makes it refuse every packet but a key frame ({@link needsKeyFrame}, StreamOrderError): it never
 * outputs a drifted frame. Calls must not overlap (await each).
 */
class TemporalStreamDecoder implements FaceStreamDecoder {
  private readonly latent: TemporalLatentDecoder;
  private readonly synth: TemporalSynthesiser;

  constructor(codec: PortableSemfaceCodec) {
    this.latent = new TemporalLatentDecoder((id) => codec.store.cdf(id));
    this.synth = new TemporalSynthesiser(codec);
  }

  /** True when only a key frame can be decoded next. */
  get needsKeyFrame(): boolean {
    return this.latent.needsKeyFrame;
  }

  /** The transport saw a gap: refuse packets until the next key frame. */
  reportLoss(): void {
    this.latent.reportLoss();
  }

  /** Decodes one packet into a 257-D descriptor. */
  async decodeFrame(packet: Uint8Array): Promise<DecodedFaceFrame> {
    const f = this.latent.decode(packet);
    const descriptor = await this.synth.descriptor(f.header, f.motion, f.identity);
    return {
      kind: f.kind,
      sequence: f.sequence,
      modelId: f.header.motionModelId,
      profile: 'full',
      descriptor,
    };
  }
}

/** The temporal {@link StreamCoding}; a codec supports it when it has expression- and identity-profile models. */
export const temporalCoding: StreamCoding<TemporalStreamOptions> = {
  supports: (codec) =>
    rateIndices(codec, 'expression').length > 0 && rateIndices(codec, 'identity').length > 0,
  createEncoder: (codec, options) => new TemporalStreamEncoder(codec, options),
  createDecoder: (codec) => new TemporalStreamDecoder(codec),
};
