import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core';
import {
  DEFAULT_FRAME_SIZE,
  FaceModel,
  type FrameSize,
  type ReconstructedMesh,
  SH_BANDS,
  SH_DC,
  addCombination,
  anglesFromRotation,
  applyPose,
  meshFromDescriptor,
  poseFromDescriptor,
  shBasis,
  shapeFromDescriptor,
  vertexMirrorMap,
  vertexNormals,
} from '@semface/face-model';
import { loadFaceModel } from '@semface/face-model/node';
import { InvalidDescriptorError, InvalidFrameError, InvalidMeshError } from '../errors.js';
import type { DetectedFace, FittedFace, RgbaFrame } from '../types.js';
import { sampleColors } from './color-sampling.js';
import { choleskySolveInPlace, matVec, ridgePseudoInverse } from './linalg.js';
import { boundaryVertices } from './mesh-boundary.js';
import { type Similarity, SimilaritySolver, createSimilarity } from './similarity.js';

/** Directory of the face model shipped with the package (`packages/extractor/models/face-model`). */
export const DEFAULT_FACE_MODEL_DIR = fileURLToPath(new URL('../../models/face-model/', import.meta.url));

/** Options of {@link FaceFitter}. */
export interface FaceFitterOptions {
  /** Alternations of pose (Procrustes) and shape (identity + expression) solves. Default 2; 1-20. */
  readonly shapeIterations?: number;
  /** Alternations of SH lighting and albedo solves. Default 2; 0-20 (0 = lighting only, mean albedo). */
  readonly appearanceIterations?: number;
  /**
   * Minimum camera-facing weight (-n_z of the posed normal, in [0, 1]) for a vertex colour to
   * count as observed. Default 0.2.
   */
  readonly visibilityThreshold?: number;
  /**
   * Conjugate-gradient steps of the visibility-weighted albedo solve per appearance iteration.
   * Default 0: on real faces the imputed pseudo-inverse solve already gives the same verification
   * accuracy (docs/face-model.md); raise it when exact albedo recovery matters. 0-50.
   */
  readonly textureSolverSteps?: number;
}

/** Defaults of {@link FaceFitterOptions}. */
export const DEFAULT_FACE_FITTER_OPTIONS = Object.freeze({
  shapeIterations: 2,
  appearanceIterations: 2,
  visibilityThreshold: 0.2,
  textureSolverSteps: 0,
} satisfies Required<FaceFitterOptions>);

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`${name} must be an integer`);
  if (value < min || value > max) throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}`);
  return value;
}

function checkFrameSize(size: FrameSize): void {
  if (!(size.width > 0 && size.height > 0 && Number.isFinite(size.width) && Number.isFinite(size.height))) {
    throw new InvalidFrameError(`frame size must be positive, got ${size.width}x${size.height}`);
  }
}

function checkDescriptor(descriptor: Float32Array): void {
  if (!(descriptor instanceof Float32Array) || descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new InvalidDescriptorError(`expected a Float32Array of ${DESCRIPTOR_LENGTH} values`);
  }
  for (const x of descriptor) if (!Number.isFinite(x)) throw new InvalidDescriptorError('non-finite value');
}

/**
 * Fits the face model to detected meshes: pose by similarity Procrustes, identity and expression
 * by ridge least squares (MAP with unit-variance priors), then SH lighting and albedo texture by
 * alternating linear solves on colours sampled at the mesh vertices. Also rebuilds meshes from
 * descriptors. Holds scratch buffers, so one instance fits one face at a time (calls are synchronous).
 */
export class FaceFitter {
  readonly model: FaceModel;
  readonly options: Readonly<Required<FaceFitterOptions>>;
  /** Left/right partner of each vertex (from the mean shape). */
  readonly mirror: Uint16Array;
  private readonly shapeBasis: Float64Array;
  /** Texture basis widened to float64 once: the hot loops read it many times per fit. */
  private readonly textureBasis: Float64Array;
  private readonly shapePinv: Float64Array;
  private readonly texturePinv: Float64Array;
  private readonly kShape: number;
  private readonly solver = new SimilaritySolver();
  private readonly sim: Similarity = createSimilarity();
  private readonly shape: Float64Array;
  private readonly resid: Float64Array;
  private readonly coef: Float64Array;
  private readonly posed: Float64Array;
  private readonly normals: Float64Array;
  private readonly sh: Float64Array;
  private readonly observed: Float64Array;
  private readonly albedo: Float64Array;
  private readonly sampled: Float64Array;
  private readonly weight: Float64Array;
  private readonly tmpD: Float64Array;
  private readonly cgR: Float64Array;
  private readonly cgP: Float64Array;
  private readonly cgAp: Float64Array;
  /** 1 for vertices whose colour is used (not on the mesh boundary). */
  private readonly colorMask: Uint8Array;
  private readonly texCoef: Float64Array;
  private readonly gamma = new Float64Array(27);
  private readonly m9 = new Float64Array(81);
  private readonly r9 = new Float64Array(9);
  private readonly rot = new Float64Array(9);

  constructor(model: FaceModel, options: FaceFitterOptions = {}) {
    if (!(model instanceof FaceModel)) throw new TypeError('model must be a FaceModel');
    const o = { ...DEFAULT_FACE_FITTER_OPTIONS, ...options };
    checkInteger('shapeIterations', o.shapeIterations, 1, 20);
    checkInteger('appearanceIterations', o.appearanceIterations, 0, 20);
    checkInteger('textureSolverSteps', o.textureSolverSteps, 0, 50);
    if (typeof o.visibilityThreshold !== 'number')
      throw new TypeError('visibilityThreshold must be a number');
    if (!(o.visibilityThreshold >= 0 && o.visibilityThreshold < 1)) {
      throw new RangeError(`visibilityThreshold must be in [0, 1), got ${o.visibilityThreshold}`);
    }
    this.options = Object.freeze(o);
    this.model = model;
    const v = model.vertexCount;
    const d = v * 3;
    this.kShape = model.identityCount + model.expressionCount;
    this.shapeBasis = new Float64Array(this.kShape * d);
    this.textureBasis = Float64Array.from(model.textureBasis);
    this.shapeBasis.set(model.identityBasis, 0);
    this.shapeBasis.set(model.expressionBasis, model.identityBasis.length);
    this.shapePinv = ridgePseudoInverse(this.shapeBasis, this.kShape, d, model.prior.shapeNoiseVariance);
    this.texturePinv = ridgePseudoInverse(
      model.textureBasis,
      model.textureCount,
      d,
      model.prior.textureNoiseVariance,
    );
    this.mirror = vertexMirrorMap(model.meanShape, v);
    this.shape = new Float64Array(d);
    this.resid = new Float64Array(d);
    this.coef = new Float64Array(this.kShape);
    this.posed = new Float64Array(d);
    this.normals = new Float64Array(d);
    this.sh = new Float64Array(v * SH_BANDS);
    this.observed = new Float64Array(d);
    this.albedo = new Float64Array(d);
    this.sampled = new Float64Array(d);
    this.weight = new Float64Array(d);
    this.tmpD = new Float64Array(d);
    this.cgR = new Float64Array(model.textureCount);
    this.cgP = new Float64Array(model.textureCount);
    this.cgAp = new Float64Array(model.textureCount);
    const boundary = boundaryVertices(model.triangles, v);
    this.colorMask = boundary.map((b) => 1 - b);
    this.texCoef = new Float64Array(model.textureCount);
  }

  /** Loads the model from `modelDir` (default: the packaged model) and creates a fitter. */
  static async load(
    modelDir: string = DEFAULT_FACE_MODEL_DIR,
    options?: FaceFitterOptions,
  ): Promise<FaceFitter> {
    return new FaceFitter(await loadFaceModel(modelDir), options);
  }

  /** Fits one detected face, sampling vertex colours from the frame it was detected in. */
  fit(face: DetectedFace, frame: RgbaFrame): FittedFace {
    const { width, height, data } = frame;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new InvalidFrameError(`frame size must be positive integers, got ${width}x${height}`);
    }
    if (data.length !== width * height * 4) {
      throw new InvalidFrameError(`frame data has ${data.length} bytes, expected ${width * height * 4}`);
    }
    this.checkMesh(face);
    sampleColors(frame, face.mesh, 3, this.model.vertexCount, this.sampled);
    return this.fitWithColors(face, this.sampled, frame);
  }

  /**
   * Fits one detected face given its vertex colours (`V * 3` RGB in [0, 1], NaN = not observed)
   * and the size of the frame its mesh coordinates refer to.
   */
  fitWithColors(face: DetectedFace, colors: ArrayLike<number>, frameSize: FrameSize): FittedFace {
    checkFrameSize(frameSize);
    this.checkMesh(face);
    const model = this.model;
    const v = model.vertexCount;
    if (colors.length !== v * 3)
      throw new RangeError(`colors must have ${v * 3} values, got ${colors.length}`);
    const descriptor = new Float32Array(DESCRIPTOR_LENGTH);
    const y = face.mesh;
    this.fitShape(y);
    const sim = this.sim;
    // Pose.
    anglesFromRotation(sim.r, descriptor, DescriptorField.rotation.start);
    const t = DescriptorField.translation.start;
    descriptor[t] = (2 * (sim.t[0] as number)) / frameSize.width - 1;
    descriptor[t + 1] = (2 * (sim.t[1] as number)) / frameSize.height - 1;
    descriptor[t + 2] = Math.log(Math.min(frameSize.width, frameSize.height) / sim.s);
    for (let i = 0; i < model.identityCount; i++)
      descriptor[DescriptorField.identity.start + i] = this.coef[i] as number;
    for (let i = 0; i < model.expressionCount; i++) {
      descriptor[DescriptorField.expression.start + i] = this.coef[model.identityCount + i] as number;
    }
    // Appearance, on the posed model (its normals are smoother than the detected mesh's).
    applyPose(
      this.shape,
      v,
      { s: sim.s, r: sim.r, tx: sim.t[0] as number, ty: sim.t[1] as number },
      this.posed,
    );
    vertexNormals(this.posed, v, model.triangles, this.normals);
    this.fitAppearance(colors);
    for (let i = 0; i < model.textureCount; i++)
      descriptor[DescriptorField.texture.start + i] = this.texCoef[i] as number;
    descriptor.set(this.gamma, DescriptorField.lighting.start);
    // Error of the descriptor itself (after float32 rounding), as a receiver would rebuild it.
    return { face, descriptor, fitErrorPercent: this.rebuiltErrorPercent(y, descriptor, frameSize) };
  }

  /**
   * The fit error of `descriptor` for `face`: mean 2-D distance of the mesh the descriptor rebuilds
   * (in a frame of `frameSize` pixels) to the face's mesh, in % of its 3-D outer-eye-corner distance;
   * what {@link fit} reports as `fitErrorPercent`. For descriptors changed after the fit (e.g. the
   * expression refinement).
   * @throws InvalidDescriptorError for a descriptor that is not 257 finite float32 values;
   *   InvalidMeshError for a malformed mesh; InvalidFrameError for a non-positive frame size.
   */
  fitErrorPercent(face: DetectedFace, descriptor: Float32Array, frameSize: FrameSize): number {
    checkDescriptor(descriptor);
    checkFrameSize(frameSize);
    this.checkMesh(face);
    return this.rebuiltErrorPercent(face.mesh, descriptor, frameSize);
  }

  /** {@link landmarkErrorPercent} of the mesh `descriptor` rebuilds against `detected`. */
  private rebuiltErrorPercent(
    detected: Float32Array,
    descriptor: Float32Array,
    frameSize: FrameSize,
  ): number {
    const v = this.model.vertexCount;
    shapeFromDescriptor(this.model, descriptor, this.shape);
    applyPose(this.shape, v, poseFromDescriptor(descriptor, frameSize, this.rot), this.posed);
    return this.landmarkErrorPercent(detected, this.posed);
  }

  /** Rebuilds the posed, coloured mesh a descriptor describes, in a frame of `frameSize` pixels. */
  meshFromDescriptor(descriptor: Float32Array, frameSize: FrameSize = DEFAULT_FRAME_SIZE): ReconstructedMesh {
    checkDescriptor(descriptor);
    checkFrameSize(frameSize);
    return meshFromDescriptor(this.model, descriptor, frameSize);
  }

  private checkMesh(face: DetectedFace): void {
    const v = this.model.vertexCount;
    const mesh = face?.mesh;
    if (!(mesh instanceof Float32Array)) throw new InvalidMeshError('mesh must be a Float32Array');
    if (!Number.isInteger(face.pointCount) || face.pointCount < v) {
      throw new InvalidMeshError(`need at least ${v} points, got ${face.pointCount}`);
    }
    if (mesh.length !== face.pointCount * 3) {
      throw new InvalidMeshError(`mesh has ${mesh.length} values for ${face.pointCount} points`);
    }
    for (let i = 0; i < v * 3; i++)
      if (!Number.isFinite(mesh[i])) throw new InvalidMeshError('non-finite coordinate');
  }

  /** Alternates Procrustes pose and ridge shape solves; leaves the pose in `sim`, shape in `shape`, coefs in `coef`. */
  private fitShape(y: Float32Array): void {
    const model = this.model;
    const d = model.vertexCount * 3;
    const mean = model.meanShape;
    const shape = this.shape;
    const resid = this.resid;
    const sim = this.sim;
    for (let i = 0; i < d; i++) shape[i] = mean[i] as number;
    for (let it = 0; it < this.options.shapeIterations; it++) {
      if (!this.solver.solve(shape, y, model.vertexCount, sim)) throw new InvalidMeshError('degenerate mesh');
      const r = sim.r;
      const inv = 1 / sim.s;
      for (let p = 0; p < d; p += 3) {
        const a = (y[p] as number) - (sim.t[0] as number);
        const b = (y[p + 1] as number) - (sim.t[1] as number);
        const c = (y[p + 2] as number) - (sim.t[2] as number);
        // Rᵀ (y - t) / s, back in the canonical frame.
        resid[p] =
          ((r[0] as number) * a + (r[3] as number) * b + (r[6] as number) * c) * inv - (mean[p] as number);
        resid[p + 1] =
          ((r[1] as number) * a + (r[4] as number) * b + (r[7] as number) * c) * inv -
          (mean[p + 1] as number);
        resid[p + 2] =
          ((r[2] as number) * a + (r[5] as number) * b + (r[8] as number) * c) * inv -
          (mean[p + 2] as number);
      }
      matVec(this.shapePinv, this.kShape, d, resid, this.coef);
      for (let i = 0; i < d; i++) shape[i] = mean[i] as number;
      addCombination(this.shapeBasis, this.kShape, d, this.coef, 0, shape);
    }
    if (!this.solver.solve(shape, y, model.vertexCount, sim)) throw new InvalidMeshError('degenerate mesh');
  }

  /** SH lighting and albedo by alternating linear solves; result in `gamma` and `texCoef`. */
  private fitAppearance(colors: ArrayLike<number>): void {
    const model = this.model;
    const v = model.vertexCount;
    const d = v * 3;
    const n = this.normals;
    const sh = this.sh;
    const thr = this.options.visibilityThreshold;
    for (let i = 0; i < v; i++) {
      shBasis(n[i * 3] as number, n[i * 3 + 1] as number, n[i * 3 + 2] as number, sh, i * SH_BANDS);
    }
    const albedo = this.albedo;
    for (let i = 0; i < d; i++) albedo[i] = model.meanAlbedo[i] as number;
    this.texCoef.fill(0);
    const target = this.observed;
    const weight = this.weight;
    for (let it = 0; it < this.options.appearanceIterations; it++) {
      this.solveLighting(colors);
      // Delit colour where observed (weight 1), the current estimate elsewhere (weight 0).
      for (let i = 0; i < v; i++) {
        const visible = this.colorMask[i] === 1 && -(n[i * 3 + 2] as number) >= thr;
        for (let c = 0; c < 3; c++) {
          const p = i * 3 + c;
          const obs = colors[p] as number;
          let shade = 0;
          for (let k = 0; k < SH_BANDS; k++) {
            shade += (sh[i * SH_BANDS + k] as number) * (this.gamma[c * SH_BANDS + k] as number);
          }
          const mean = model.meanAlbedo[p] as number;
          const ok = visible && Number.isFinite(obs) && shade > 0.05;
          weight[p] = ok ? 1 : 0;
          target[p] = ok ? obs / shade - mean : (albedo[p] as number) - mean;
        }
      }
      if (it === 0) {
        // With the unobserved entries imputed, the unweighted ridge pseudo-inverse is a cheap,
        // good start for the weighted solve.
        matVec(this.texturePinv, model.textureCount, d, target, this.texCoef);
      }
      if (this.options.textureSolverSteps > 0) this.refineTexture(target);
      for (let i = 0; i < d; i++) albedo[i] = model.meanAlbedo[i] as number;
      addCombination(this.textureBasis, model.textureCount, d, this.texCoef, 0, albedo);
    }
    this.solveLighting(colors);
  }

  /**
   * Conjugate-gradient steps on the visibility-weighted ridge system
   * `(Tᵀ W T + λ I) β = Tᵀ W target`, warm-started from `texCoef`.
   */
  private refineTexture(target: Float64Array): void {
    const model = this.model;
    const k = model.textureCount;
    const d = model.vertexCount * 3;
    const basis = this.textureBasis;
    const lambda = model.prior.textureNoiseVariance;
    const beta = this.texCoef;
    const w = this.weight;
    const tmp = this.tmpD;
    const r = this.cgR;
    const p = this.cgP;
    const ap = this.cgAp;
    // r = Tᵀ W (target - T β) - λ β
    tmp.fill(0);
    addCombination(basis, k, d, beta, 0, tmp);
    for (let i = 0; i < d; i++) tmp[i] = (w[i] as number) * ((target[i] as number) - (tmp[i] as number));
    matVec(basis, k, d, tmp, r);
    let rs = 0;
    for (let j = 0; j < k; j++) {
      r[j] = (r[j] as number) - lambda * (beta[j] as number);
      p[j] = r[j] as number;
      rs += (r[j] as number) ** 2;
    }
    for (let step = 0; step < this.options.textureSolverSteps && rs > 1e-18; step++) {
      tmp.fill(0);
      addCombination(basis, k, d, p, 0, tmp);
      for (let i = 0; i < d; i++) tmp[i] = (w[i] as number) * (tmp[i] as number);
      matVec(basis, k, d, tmp, ap);
      let pap = 0;
      for (let j = 0; j < k; j++) {
        ap[j] = (ap[j] as number) + lambda * (p[j] as number);
        pap += (p[j] as number) * (ap[j] as number);
      }
      if (!(pap > 0)) break;
      const alpha = rs / pap;
      let rsNew = 0;
      for (let j = 0; j < k; j++) {
        beta[j] = (beta[j] as number) + alpha * (p[j] as number);
        r[j] = (r[j] as number) - alpha * (ap[j] as number);
        rsNew += (r[j] as number) ** 2;
      }
      const ratio = rsNew / rs;
      rs = rsNew;
      for (let j = 0; j < k; j++) p[j] = (r[j] as number) + ratio * (p[j] as number);
    }
  }

  /** Per channel, weighted least squares of colour = albedo x (SH · γ) over visible observed vertices. */
  private solveLighting(colors: ArrayLike<number>): void {
    const v = this.model.vertexCount;
    const n = this.normals;
    const sh = this.sh;
    const m = this.m9;
    const r = this.r9;
    const thr = this.options.visibilityThreshold;
    for (let c = 0; c < 3; c++) {
      m.fill(0);
      r.fill(0);
      let total = 0;
      for (let i = 0; i < v; i++) {
        const w = -(n[i * 3 + 2] as number);
        const obs = colors[i * 3 + c] as number;
        if (!(w >= thr) || this.colorMask[i] === 0 || !Number.isFinite(obs)) continue;
        const a = this.albedo[i * 3 + c] as number;
        const o = i * SH_BANDS;
        total += w;
        for (let p = 0; p < SH_BANDS; p++) {
          const hp = w * a * (sh[o + p] as number);
          r[p] = (r[p] as number) + hp * obs;
          for (let q = p; q < SH_BANDS; q++)
            m[p * SH_BANDS + q] = (m[p * SH_BANDS + q] as number) + hp * a * (sh[o + q] as number);
        }
      }
      const g = c * SH_BANDS;
      if (total <= 0) {
        // Nothing observed: neutral white light.
        for (let k = 0; k < SH_BANDS; k++) this.gamma[g + k] = k === 0 ? 1 / SH_DC : 0;
        continue;
      }
      // Small ridge so a face seen from one side still gives a bounded solution.
      const ridge = 1e-5 * total;
      for (let p = 0; p < SH_BANDS; p++) {
        for (let q = 0; q < p; q++) m[p * SH_BANDS + q] = m[q * SH_BANDS + p] as number;
        m[p * SH_BANDS + p] = (m[p * SH_BANDS + p] as number) + ridge;
      }
      // Ridge pulls toward neutral light (γ0 = 1/SH_DC), not toward black.
      r[0] = (r[0] as number) + ridge / SH_DC;
      choleskySolveInPlace(m, SH_BANDS, r, 1);
      for (let k = 0; k < SH_BANDS; k++) this.gamma[g + k] = r[k] as number;
    }
  }

  /** Mean 2-D distance between rebuilt and detected vertices, in % of the detected 3-D outer-eye-corner distance. */
  private landmarkErrorPercent(detected: Float32Array, rebuilt: Float64Array): number {
    const v = this.model.vertexCount;
    const { eyeRightOuter: a, eyeLeftOuter: b } = this.model.landmarks;
    const iod = Math.hypot(
      (detected[a * 3] as number) - (detected[b * 3] as number),
      (detected[a * 3 + 1] as number) - (detected[b * 3 + 1] as number),
      (detected[a * 3 + 2] as number) - (detected[b * 3 + 2] as number),
    );
    let sum = 0;
    for (let i = 0; i < v; i++) {
      sum += Math.hypot(
        (rebuilt[i * 3] as number) - (detected[i * 3] as number),
        (rebuilt[i * 3 + 1] as number) - (detected[i * 3 + 1] as number),
      );
    }
    return iod > 0 ? (100 * sum) / v / iod : Number.POSITIVE_INFINITY;
  }
}
