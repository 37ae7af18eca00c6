import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core/layout';
import type { ArkitWeights } from './arkit.js';
import { type MouthCouplings, arkitFromMeasures } from './arkit-mapping.js';
import { type FaceMeasures, measureFace, measureShape } from './face-measures.js';
import { type FaceRigModel, defaultFaceRigModel } from './face-rig-model.js';
import { type Gaze, type HeadPose, cameraGaze, headPose } from './head-pose.js';
import { REST_FACE } from './rest-face.js';
import { type VrmRig, vrmFromArkit } from './vrm.js';

/** Options of {@link FaceRig}. */
export interface FaceRigOptions {
  /** Face-model rows to rebuild the mesh from (default: the shipped face model, embedded). */
  readonly model?: FaceRigModel;
  /**
   * Eye gaze: `camera` = the subject looks into the lens, the eyes counter-rotate the head (the
   * descriptor has no irises, see docs/avatars.md); `ahead` = eyes fixed in the head.
   */
  readonly gaze: 'camera' | 'ahead';
  /** Gaze angle that gives an eye-look weight of 1, and the most the eyes turn, degrees (0, 90]. */
  readonly gazeRangeDeg: number;
  /**
   * Follow this person's open-eye level (a slow upper-quantile tracker of each eye's aspect ratio)
   * instead of the average face's: a narrow-eyed face then does not read as half-blinking.
   */
  readonly adaptEyes: boolean;
  /** Share of the head rotation the VRM neck bone takes, [0, 1] (the head bone takes the rest). */
  readonly neckShare: number;
}

/** Defaults of {@link FaceRigOptions}. */
export const DEFAULT_FACE_RIG_OPTIONS: Readonly<Omit<FaceRigOptions, 'model'>> = Object.freeze({
  gaze: 'camera',
  gazeRangeDeg: 30,
  adaptEyes: true,
  neckShare: 0.4,
});

/** Validates and completes rig options (TypeError for a wrong type, RangeError for a value out of range). */
export function resolveFaceRigOptions(options: Partial<FaceRigOptions> = {}): FaceRigOptions {
  const o = { ...DEFAULT_FACE_RIG_OPTIONS, ...options };
  if (o.gaze !== 'camera' && o.gaze !== 'ahead') throw new TypeError(`gaze must be 'camera' or 'ahead'`);
  if (typeof o.gazeRangeDeg !== 'number' || !(o.gazeRangeDeg > 0 && o.gazeRangeDeg <= 90)) {
    throw new RangeError(`gazeRangeDeg must be in (0, 90], got ${o.gazeRangeDeg}`);
  }
  if (typeof o.adaptEyes !== 'boolean') throw new TypeError('adaptEyes must be a boolean');
  if (typeof o.neckShare !== 'number' || !(o.neckShare >= 0 && o.neckShare <= 1)) {
    throw new RangeError(`neckShare must be in [0, 1], got ${o.neckShare}`);
  }
  return Object.freeze(o);
}

/** Everything the rig outputs for one descriptor. */
export interface RigFrame {
  /** ARKit's 52 blendshape weights by name, each in [0, 1]. */
  readonly arkit: ArkitWeights;
  readonly head: HeadPose;
  /** Eye gaze relative to the head, radians (both eyes). */
  readonly gaze: Gaze;
  readonly vrm: VrmRig;
  /** The geometric measures the weights come from (for plots and checks). */
  readonly measures: FaceMeasures;
}

// Upper-quantile tracker of the open-eye aspect ratio: blinks are short, so the 90th percentile of a
// person's eye openness is their open eye, and nearly every frame stays on the linear part of the
// blink curve. The step starts at EYE_STEP and shrinks as 1 / frames (fast to find a new face), down to
// a floor of EYE_STEP_MIN after ~190 frames, which keeps a still face still (std < 0.004 measured) and
// slow trends of eye openness in the weights.
// The open eye used is halfway between the average face's and the tracked one (EYE_ADAPT_SHARE): the
// full tracked level also follows the tracker's drift and noise in the first seconds (per-clip
// r(blink, EAR) down to -0.72 on a clip with no blink) and moves every person's zero point apart (pooled
// r -0.81); half of it keeps a narrow-eyed face from reading as half-closed (median blink 0.28 instead of
// 0.40 on the narrowest clip) with r <= -0.89 on every training clip and pooled. Selected on the face
// model's 12 training clips (share 0.3-1.0: the largest smaller-of pooled and worst-clip |r|).
const EYE_ADAPT_SHARE = 0.5;
const EYE_QUANTILE = 0.9;
const EYE_STEP = 0.006;
const EYE_STEP_MIN = 0.0003;
const EYE_STEP_FRAMES = 10;
const EYE_REF_MIN = 0.22;
const EYE_REF_MAX = 0.48;

const couplingCache = new WeakMap<FaceRigModel, MouthCouplings>();

/**
 * How mouth measures co-vary with the lip gap across the face model's expression space (least-squares
 * slope with every expression coefficient at unit variance): what jaw opening alone does to them.
 */
export function mouthCouplings(model: FaceRigModel): MouthCouplings {
  const cached = couplingCache.get(model);
  if (cached) return cached;
  const zero = new Float32Array(DESCRIPTOR_LENGTH);
  const base = measureFace(model, zero);
  const names = [
    'lipGap',
    'cornerUpRight',
    'cornerOutRight',
    'mouthWidth',
    'lowerLipDownRight',
    'jawDrop',
  ] as const;
  const sums = new Float64Array(names.length);
  const h = 0.01;
  for (let k = 0; k < model.expressionCount; k++) {
    const d = new Float32Array(DESCRIPTOR_LENGTH);
    d[DescriptorField.expression.start + k] = h;
    const m = measureFace(model, d);
    const g = (m.lipGap - base.lipGap) / h;
    names.forEach((n, i) => {
      sums[i] = sums[i]! + g * ((m[n] - base[n]) / h);
    });
  }
  const slope = (i: number) => sums[i]! / sums[0]!;
  const out = Object.freeze({
    cornerUp: slope(1),
    cornerOut: slope(2),
    mouthWidth: slope(3),
    lowerLipDown: slope(4),
    jawDrop: slope(5),
  });
  couplingCache.set(model, out);
  return out;
}

/**
 * Drives avatars from decoded descriptors: ARKit-52 weights, head pose, gaze and VRM 1.0 expressions
 * and bones. Rebuilds the canonical mesh at ~40 landmark vertices from the expression coefficients
 * (only `expression` and `rotation` are read: the animation stream profile), measures it
 * ({@link measureFace}) and maps the measures ({@link arkitFromMeasures}). Keep one rig per tracked
 * face: with `adaptEyes` it learns that person's open-eye level.
 */
export class FaceRig {
  readonly options: FaceRigOptions;
  readonly model: FaceRigModel;
  private readonly couplings: MouthCouplings;
  private readonly scratch: Float64Array;
  private rest: FaceMeasures = REST_FACE;
  private eyeRight: number | undefined;
  private eyeLeft: number | undefined;
  private adapting: boolean;
  /** Frames the eye trackers have seen. */
  private eyeFrames = 0;

  constructor(options: Partial<FaceRigOptions> = {}) {
    this.options = resolveFaceRigOptions(options);
    this.model = this.options.model ?? defaultFaceRigModel();
    this.couplings = mouthCouplings(this.model);
    this.scratch = new Float64Array(this.model.mean.length);
    this.adapting = this.options.adaptEyes;
  }

  /**
   * Takes `descriptor` as this person's resting face: every measure's zero point, eye levels included
   * (eye adaptation stops). Use a frame with a relaxed face, eyes open, lips closed.
   */
  calibrate(descriptor: Float32Array): void {
    const m = measureFace(this.model, descriptor, this.scratch);
    // The lip gap stays at the average rest: jawOpen measures the gap from closed lips, not from rest.
    this.rest = Object.freeze({ ...m, lipGap: REST_FACE.lipGap });
    this.eyeRight = m.eyeOpenRight;
    this.eyeLeft = m.eyeOpenLeft;
    this.adapting = false;
  }

  /** Forgets calibration and eye adaptation (a new person). */
  reset(): void {
    this.rest = REST_FACE;
    this.eyeRight = undefined;
    this.eyeLeft = undefined;
    this.eyeFrames = 0;
    this.adapting = this.options.adaptEyes;
  }

  /** Rig outputs of one descriptor (257 values; non-finite expression values throw a RangeError). */
  solve(descriptor: Float32Array): RigFrame {
    if (!(descriptor instanceof Float32Array) || descriptor.length !== DESCRIPTOR_LENGTH) {
      throw new RangeError(`expected a Float32Array of ${DESCRIPTOR_LENGTH} values`);
    }
    const e = DescriptorField.expression;
    for (let i = e.start; i < e.end; i++) {
      if (!Number.isFinite(descriptor[i]!)) throw new RangeError(`descriptor value ${i} is not finite`);
    }
    return this.solveShape(this.model.shape(descriptor, this.scratch), headPose(descriptor));
  }

  /**
   * Rig outputs of a canonical shape at the rig model's vertices (`model.vertices.length * 3`, e.g.
   * {@link FaceRigModel.shape} or a mirrored one) and a head pose.
   */
  solveShape(shape: Float64Array, head: HeadPose): RigFrame {
    const measures = measureShape(this.model, shape);
    const range = (this.options.gazeRangeDeg * Math.PI) / 180;
    const gaze = this.options.gaze === 'camera' ? cameraGaze(head, range) : { yaw: 0, pitch: 0 };
    this.eyeRight = this.trackEye(this.eyeRight, measures.eyeOpenRight, this.rest.eyeOpenRight);
    this.eyeLeft = this.trackEye(this.eyeLeft, measures.eyeOpenLeft, this.rest.eyeOpenLeft);
    this.eyeFrames++;
    const arkit = arkitFromMeasures(measures, {
      rest: this.rest,
      eyeOpenRight: this.openEye(this.eyeRight, this.rest.eyeOpenRight),
      eyeOpenLeft: this.openEye(this.eyeLeft, this.rest.eyeOpenLeft),
      couplings: this.couplings,
      gaze,
      gazeRange: range,
    });
    return { arkit, head, gaze, vrm: vrmFromArkit(arkit, head, gaze, this.options.neckShare), measures };
  }

  /** The open-eye level blinks are measured from: calibrated as given, tracked only in part. */
  private openEye(tracked: number | undefined, rest: number): number {
    if (tracked === undefined) return rest;
    return this.adapting ? rest + EYE_ADAPT_SHARE * (tracked - rest) : tracked;
  }

  private trackEye(ref: number | undefined, ratio: number, rest: number): number {
    if (!this.adapting) return ref ?? rest;
    const clamp = (x: number) => Math.min(EYE_REF_MAX, Math.max(EYE_REF_MIN, x));
    if (ref === undefined) return clamp(ratio);
    const step = Math.max(EYE_STEP_MIN, (EYE_STEP * EYE_STEP_FRAMES) / (EYE_STEP_FRAMES + this.eyeFrames));
    return clamp(ref + step * (ratio >= ref ? EYE_QUANTILE : EYE_QUANTILE - 1));
  }
}
