import { join } from 'node:path';
import { DESCRIPTOR_LENGTH, type ModelRuntime } from '@semface/codec-core';
import { DescriptorMirror, vertexMirrorMap } from '@semface/face-model';
import type { FaceDescriptorSource, FaceExtractOptions } from '../batch/descriptor-job.js';
import { FaceFitter } from '../fit/face-fitter.js';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import { FaceMeshDetector } from '../mesh/face-mesh-detector.js';
import { MODEL_FILES } from '../models/model-files.js';
import { extractorModels } from '../models/session.js';
import type { SidecarModel } from '../output/sidecar.js';
import { EmotionSmoother } from '../refine/emotion-smoother.js';
import { EMOTION_VALUES, EmotionTeacher, type EmotionViews } from '../refine/emotion-teacher.js';
import { ExpressionRefiner } from '../refine/expression-refiner.js';
import type { DetectedFace, FittedFace, RgbaFrame } from '../types.js';
import { type MirrorTwin, meshPartners, mirrorAveraged, mirrorFrame } from './mirror-twin.js';
import {
  type FaceDescriptorExtractorInit,
  type FaceDescriptorExtractorOptions,
  resolveFaceDescriptorExtractorOptions,
} from './face-descriptor-extractor-options.js';
import { directoryRecords, sha256File } from './model-records.js';

/** Options of {@link FaceDescriptorExtractor.fitFaces}. */
export interface FitFacesOptions {
  /**
   * Tracking mode (one face): the filter the face's emotion log-probabilities pass before the refiner
   * (contract `emotion.videoSmoothing`); its owner restarts it with the track. Default none.
   */
  readonly emotionSmoother?: EmotionSmoother;
  /**
   * The crops the emotion network sees ({@link EmotionViews}). Default: `single` with an
   * `emotionSmoother` (tracking: the values are averaged over frames), `still` without (several crop
   * scales and their mirrors, contract `emotion.stillViews`).
   */
  readonly emotionViews?: EmotionViews;
}

/** The expression refinement's models, on their own runtime over `modelDir`. */
interface Refinement {
  readonly models: ModelRuntime;
  readonly teacher: EmotionTeacher;
  readonly refiner: ExpressionRefiner;
}

/**
 * Frames -> fitted faces with 257-D descriptors: the one way the CLI, the demo, scripts and benchmarks
 * get descriptors from frames. Owns a {@link FaceMeshDetector} (detect, or track for single-face
 * video), a {@link FaceFitter} and, with `refine` on (default), the expression refinement (issue 15):
 * the emotion network on each face's crop ({@link EmotionTeacher}) and the learned
 * {@link ExpressionRefiner}, all faces of a frame in one run of each. Create once per job with
 * {@link FaceDescriptorExtractor.create}; calls on one instance must not overlap (await each).
 */
export class FaceDescriptorExtractor implements FaceDescriptorSource {
  /** Values per descriptor (the full 257-D layout). */
  readonly descriptorLength: number = DESCRIPTOR_LENGTH;
  /** Emotion values of the tracked face over time (restarted with the track). */
  private readonly smoother = new EmotionSmoother();
  private records: Promise<readonly SidecarModel[]> | undefined;

  private constructor(
    /** The validated options this extractor runs with. */
    readonly options: Readonly<FaceDescriptorExtractorOptions>,
    /** The detector (shared state: tracking); do not call it while an {@link extract} is running. */
    readonly detector: FaceMeshDetector,
    /** The fitter (scratch buffers: one fit at a time). */
    readonly fitter: FaceFitter,
    private readonly refinement: Refinement | undefined,
    /** With `symmetric`: the second pipeline, run on each frame's mirror image. */
    private readonly twin: MirrorTwin | undefined,
  ) {}

  /**
   * Loads the face model (unless `fitter` is given), the detector's models and, with `refine` on,
   * emotion.onnx and expression-refiner.onnx from `modelDir`.
   * @throws TypeError / RangeError for invalid options; ModelLoadError (SEMFACE_ERR_MODEL_LOAD) when a
   *   model file is missing or unreadable; the face model's errors when it cannot be read.
   */
  static async create(options: FaceDescriptorExtractorInit = {}): Promise<FaceDescriptorExtractor> {
    const o = resolveFaceDescriptorExtractorOptions(options);
    const fitter = o.fitter ?? (await FaceFitter.load(o.faceModelDir));
    const detector = await FaceMeshDetector.create(o.detector);
    let refinement: Refinement | undefined;
    if (o.refine) {
      const models = extractorModels(o.modelDir, o.intraOpNumThreads);
      try {
        const teacher = await EmotionTeacher.create(models);
        refinement = { models, teacher, refiner: await ExpressionRefiner.create(models) };
      } catch (err) {
        await models.dispose();
        await detector.dispose();
        throw err;
      }
    }
    let twin: MirrorTwin | undefined;
    if (o.symmetric) {
      try {
        // The twin shares the fitter (calls never overlap) but has its own tracker and filters.
        const extractor = await FaceDescriptorExtractor.create({ ...o, symmetric: false, fitter });
        const { model } = fitter;
        const partners = meshPartners(vertexMirrorMap(model.meanShape, model.vertexCount));
        twin = { extractor, mirror: DescriptorMirror.fromModel(model), partners, frame: undefined };
      } catch (err) {
        await refinement?.models.dispose();
        await detector.dispose();
        throw err;
      }
    }
    return new FaceDescriptorExtractor(o, detector, fitter, refinement, twin);
  }

  /** Whether descriptors are refined (option `refine`). */
  get refines(): boolean {
    return this.refinement !== undefined;
  }

  /**
   * Fitted faces of a frame, most prominent first; empty when there is none. Single-face video frames
   * (`videoFrame` set, `allFaces` off) are tracked (`first` restarts the track; `timestampMs` drives
   * the temporal stabiliser), everything else is detected. When nothing is found and `cropBox` is
   * given, that region is meshed as the face (`fromCropBox: true`). With refinement, `descriptor` and
   * `fitErrorPercent` are the refined descriptor's and the emotion log-probabilities come along; on
   * the tracking path those pass the contract's moving average first (restarted by a `first` frame,
   * {@link resetTracking} and a frame without the face).
   * @throws InvalidFrameError (SEMFACE_ERR_INVALID_FRAME) for a malformed frame; TypeError for a bad
   *   `videoFrame` or `timestampMs`.
   */
  async extract(frame: RgbaFrame, options: Partial<FaceExtractOptions> = {}): Promise<FittedFace[]> {
    const own = await this.extractOwn(frame, options);
    const twin = this.twin;
    if (!twin) return own;
    const flipped = mirrorFrame(twin, frame);
    const { cropBox } = options;
    const seen = await twin.extractor.extract(flipped, {
      ...options,
      ...(cropBox ? { cropBox: { ...cropBox, x: frame.width - cropBox.x - cropBox.width } } : {}),
    });
    return mirrorAveraged(own, seen, frame, twin, (face, d) => this.fitter.fitErrorPercent(face, d, frame));
  }

  private async extractOwn(frame: RgbaFrame, options: Partial<FaceExtractOptions>): Promise<FittedFace[]> {
    const { allFaces = false, videoFrame, timestampMs, cropBox } = options;
    if (videoFrame !== undefined && videoFrame !== 'first' && videoFrame !== 'next') {
      throw new TypeError(`videoFrame must be 'first' or 'next', got ${String(videoFrame)}`);
    }
    // Single-face video: follow the face from frame to frame (mesh-only passes, steadier boxes; the
    // tracker's temporal stabiliser smooths the mesh using the frame times).
    if (videoFrame === 'first') this.resetTracking();
    if (videoFrame !== undefined && !allFaces) {
      const faces = await this.detector.track(frame, timestampMs === undefined ? {} : { timestampMs });
      if (faces.length === 0) this.smoother.reset();
      return this.fitFaces(frame, faces, { emotionSmoother: this.smoother });
    }
    const faces = await this.detector.detect(frame, { allFaces });
    if (faces.length === 0 && cropBox !== undefined) {
      // Face-crop datasets: the detector misses many tight or low-contrast crops whose mesh is
      // still good, and the image itself says where the face is, so the mesh is kept whatever its
      // face-presence score (a low score there means a hard face, not an absent one).
      const face = await this.detector.meshFromBox(frame, cropBox, { minMeshScore: 0 });
      return face ? (await this.fitFaces(frame, [face])).map((f) => ({ ...f, fromCropBox: true })) : [];
    }
    return this.fitFaces(frame, faces);
  }

  /**
   * Fits (and, with refinement, refines) faces already meshed in `frame`, e.g. a tracked face's
   * `rawMesh`: what {@link extract} does after detection. The emotion crop is each face's `box`;
   * `emotionSmoother` (one face only) filters the emotion values as on the tracking path.
   * @throws RangeError for an `emotionSmoother` with more than one face.
   */
  async fitFaces(
    frame: RgbaFrame,
    faces: readonly DetectedFace[],
    options: FitFacesOptions = {},
  ): Promise<FittedFace[]> {
    const { emotionSmoother, emotionViews = emotionSmoother ? 'single' : 'still' } = options;
    if (emotionSmoother !== undefined && faces.length > 1) {
      throw new RangeError(`emotionSmoother is for one face, got ${faces.length}`);
    }
    const fitted = faces.map((face) => this.fitter.fit(face, frame));
    if (!this.refinement || fitted.length === 0) return fitted;
    const { teacher, refiner } = this.refinement;
    const emotion = await teacher.logProbabilities(
      frame,
      fitted.map((f) => f.face.box),
      emotionViews,
    );
    emotionSmoother?.apply(emotion);
    const refined = await refiner.refine(
      fitted.map((f) => f.descriptor),
      emotion,
    );
    return fitted.map((f, i) => {
      const descriptor = refined[i]!;
      return {
        ...f,
        descriptor,
        fitErrorPercent: this.fitter.fitErrorPercent(f.face, descriptor, frame),
        unrefinedFitErrorPercent: f.fitErrorPercent,
        emotionLogProbabilities: emotion.slice(i * EMOTION_VALUES, (i + 1) * EMOTION_VALUES),
      };
    });
  }

  /**
   * Forgets the tracked face: the next video frame is detected afresh and the emotion average
   * restarts (new clip, scene cut).
   */
  resetTracking(): void {
    this.detector.resetTracking();
    this.smoother.reset();
    this.twin?.extractor.resetTracking();
  }

  /**
   * The files behind the descriptors, for sidecars: role (`detector`, `mesh`, `iris`, `emotion`,
   * `expression-refiner`, `face-model`), file name and SHA-256. A fitter given as an option is one
   * `face-model` record with id `in-memory` and no hash. Hashed once, on the first call.
   */
  modelFiles(): Promise<readonly SidecarModel[]> {
    this.records ??= this.hashModelFiles();
    return this.records;
  }

  /** Releases the ONNX sessions; the extractor must not be used afterwards. */
  async dispose(): Promise<void> {
    await this.twin?.extractor.dispose();
    await this.detector.dispose();
    await this.refinement?.models.dispose();
  }

  private async hashModelFiles(): Promise<readonly SidecarModel[]> {
    const { modelDir, faceModelDir, fitter } = this.options;
    const files: Array<readonly [string, string]> = [
      ['detector', MODEL_FILES.detector],
      ['mesh', MODEL_FILES.mesh],
      ...(this.detector.options.iris ? [['iris', MODEL_FILES.iris] as const] : []),
      ...(this.refinement
        ? [
            ['emotion', REFINEMENT_SPEC.emotion.model] as const,
            ['expression-refiner', REFINEMENT_SPEC.refiner.model] as const,
          ]
        : []),
    ];
    const records: SidecarModel[] = await Promise.all(
      files.map(async ([role, id]) => ({ role, id, sha256: await sha256File(join(modelDir, id)) })),
    );
    records.push(
      ...(fitter
        ? [{ role: 'face-model', id: 'in-memory' }]
        : await directoryRecords(faceModelDir, 'face-model')),
    );
    return Object.freeze(records);
  }
}
