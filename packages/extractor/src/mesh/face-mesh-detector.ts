import type { ModelRuntime } from '@semface/codec-core';
import { BlazeFace } from '../detect/blazeface.js';
import type { FaceDetection } from '../detect/face-detection.js';
import type { RotatedRect } from '../detect/rotated-rect.js';
import { InvalidFrameError } from '../errors.js';
import { validateRgbaFrame } from '../input/frame.js';
import { MODEL_FILES } from '../models/model-files.js';
import { extractorModels, loadSession } from '../models/session.js';
import {
  type DetectedFace,
  type FaceBox,
  MESH_POINT_COUNT_WITH_IRIS,
  MESH_VERTEX_COUNT,
  type RgbaFrame,
} from '../types.js';
import { FaceMeshModel, MESH_INPUT_SIZE, type RawMesh } from './face-mesh-model.js';
import {
  type FaceMeshDetectorInit,
  type FaceMeshDetectorOptions,
  resolveFaceMeshDetectorOptions,
} from './face-mesh-options.js';
import { meshBoundingBox, roiFromBox, roiFromDetection, roiFromMesh } from './face-roi.js';
import { IrisModel } from './iris-model.js';
import { MeshStabilizer } from './mesh-stabilizer.js';

/** Per-call options of {@link FaceMeshDetector.detect}. */
export interface DetectOptions {
  /** Return every face (largest first, up to `maxFaces`) instead of only the largest. Default false. */
  readonly allFaces?: boolean;
}

/** Per-call options of {@link FaceMeshDetector.meshFromBox}. */
export interface MeshFromBoxOptions {
  /** In-plane rotation of the face in radians (image coordinates, positive = clockwise). Default 0. */
  readonly angle?: number;
  /**
   * Lowest face-presence score of the mesh that is accepted, in [0, 1]. Default: the detector's
   * `minMeshScore`. 0 keeps every mesh: for boxes the caller knows hold a face (face-crop datasets),
   * where a low score means a hard face (profile, occlusion, low contrast), not an absent one.
   */
  readonly minMeshScore?: number;
}

/** Per-call options of {@link FaceMeshDetector.track}. */
export interface TrackOptions {
  /**
   * Capture time of the frame in milliseconds (any origin, increasing), used by the temporal
   * stabiliser. Default: frames are `1000 / stabilizer.frameRate` ms apart.
   */
  readonly timestampMs?: number;
}

/**
 * Face detection (BlazeFace) + 3D face mesh (MediaPipe face mesh, optional iris refinement) on
 * onnxruntime-node. Create once with {@link FaceMeshDetector.create}; the ONNX sessions are reused.
 * Calls on one instance must not overlap (onnxruntime sessions are not re-entrant here); await each.
 */
export class FaceMeshDetector {
  /** Crop for the next {@link track} call, from the last tracked mesh. */
  private trackedRoi: RotatedRect | undefined;
  /** Detector score of the detection that started the current track. */
  private trackedScore = 0;
  /** Smooths {@link track} meshes over time; undefined when `stabilize` is off. */
  private readonly stabilizer: MeshStabilizer | undefined;

  private constructor(
    /** The validated options this detector runs with. */
    readonly options: Readonly<FaceMeshDetectorOptions>,
    private readonly detector: BlazeFace,
    private readonly meshModel: FaceMeshModel,
    private readonly irisModel: IrisModel | undefined,
    private readonly models: ModelRuntime,
  ) {
    this.stabilizer = options.stabilize ? new MeshStabilizer(options.stabilizer) : undefined;
  }

  /**
   * Loads the models.
   * @throws TypeError / RangeError for invalid options; ModelLoadError (SEMFACE_ERR_MODEL_LOAD) when a
   *   model file is missing or unreadable.
   */
  static async create(options: FaceMeshDetectorInit = {}): Promise<FaceMeshDetector> {
    const o = resolveFaceMeshDetectorOptions(options);
    const models = extractorModels(o.modelDir, o.intraOpNumThreads);
    const detector = await loadSession(models, MODEL_FILES.detector, { inputs: 1, outputs: 4 });
    const mesh = await loadSession(models, MODEL_FILES.mesh, { inputs: 1, outputs: 3 });
    const iris = o.iris ? await loadSession(models, MODEL_FILES.iris, { inputs: 1, outputs: 1 }) : undefined;
    return new FaceMeshDetector(
      o,
      new BlazeFace(detector),
      new FaceMeshModel(mesh),
      iris ? new IrisModel(iris) : undefined,
      models,
    );
  }

  /** Points per returned mesh: 478 with iris refinement, else 468. */
  get pointCount(): number {
    return this.irisModel ? MESH_POINT_COUNT_WITH_IRIS : MESH_VERTEX_COUNT;
  }

  /**
   * Finds faces and their meshes. Returns the largest face only (default) or all faces, largest first
   * (by detector box area); an empty array when there is no face.
   * @throws InvalidFrameError (SEMFACE_ERR_INVALID_FRAME) for a malformed frame.
   */
  async detect(frame: RgbaFrame, options: DetectOptions = {}): Promise<DetectedFace[]> {
    validateRgbaFrame(frame);
    const detections = await this.detectFaces(frame);
    const all = options.allFaces === true;
    const faces: DetectedFace[] = [];
    if (all) {
      faces.push(...(await this.meshDetections(frame, detections)));
    } else {
      // Largest first; fall through to the next one when the mesh rejects a detection.
      for (const d of detections) {
        const [face] = await this.meshDetections(frame, [d]);
        if (face) {
          faces.push(face);
          break;
        }
      }
    }
    return faces;
  }

  /**
   * Runs only the detector: boxes and 6 keypoints in source pixels, largest box first.
   * @throws InvalidFrameError (SEMFACE_ERR_INVALID_FRAME) for a malformed frame.
   */
  async detectFaces(frame: RgbaFrame): Promise<FaceDetection[]> {
    validateRgbaFrame(frame);
    const o = this.options;
    const found = await this.detector.detect(frame, {
      minScore: o.minScore,
      iouThreshold: o.iouThreshold,
      maxFaces: o.maxFaces,
    });
    return found.sort((a, b) => area(b.box) - area(a.box));
  }

  /** Meshes faces the detector found (as returned by {@link detectFaces}); drops those the mesh rejects. */
  async meshDetections(frame: RgbaFrame, detections: readonly FaceDetection[]): Promise<DetectedFace[]> {
    validateRgbaFrame(frame);
    const rois = detections.map((d) => roiFromDetection(d, this.options.cropScale));
    const meshes = await this.meshRois(frame, rois);
    const faces: DetectedFace[] = [];
    for (let i = 0; i < meshes.length; i++) {
      const face = await this.finish(frame, meshes[i]!, detections[i]!.score);
      if (face) faces.push(face);
    }
    return faces;
  }

  /**
   * Meshes a face whose box is already known, without the detector: for tightly cropped inputs such
   * as 48x48 FER2013 faces (pass the whole image as the box). The box is enlarged by `cropScale` like a
   * detector box; pixels outside the frame read as black. Returns null when the mesh's face-presence
   * score is below `minMeshScore` (option, else the detector's). `score` of the result is 1 (no detector).
   * @throws InvalidFrameError (SEMFACE_ERR_INVALID_FRAME) for a malformed frame or an empty box.
   */
  async meshFromBox(
    frame: RgbaFrame,
    box: FaceBox,
    options: MeshFromBoxOptions = {},
  ): Promise<DetectedFace | null> {
    validateRgbaFrame(frame);
    if (![box.x, box.y, box.width, box.height].every(Number.isFinite) || box.width <= 0 || box.height <= 0) {
      throw new InvalidFrameError(`face box must be finite with positive size, got ${JSON.stringify(box)}`);
    }
    const angle = options.angle ?? 0;
    if (!Number.isFinite(angle)) throw new TypeError('angle must be a finite number');
    const minScore = options.minMeshScore ?? this.options.minMeshScore;
    if (typeof minScore !== 'number') throw new TypeError('minMeshScore must be a number');
    if (!(minScore >= 0 && minScore <= 1))
      throw new RangeError(`minMeshScore must be in [0, 1], got ${minScore}`);
    const roi = roiFromBox(box, this.options.cropScale, angle);
    const [mesh] = await this.meshRois(frame, [roi], this.options.refinePasses, minScore);
    return this.finish(frame, mesh!, 1, minScore);
  }

  /**
   * Video mode for one face: re-crops the face from the previous frame's mesh (MediaPipe tracking) and
   * runs the detector only when there is no previous face or the mesh loses it. Usually costs one
   * mesh pass instead of detector + mesh. Returns the tracked face, or an empty array.
   * With `stabilize` on (default) the returned mesh is temporally filtered ({@link MeshStabilizer}: no
   * frames of delay, strong smoothing only while the face is still) and the detector's mesh is in
   * `rawMesh`; the next crop still comes from the raw mesh, so the filter never steers tracking.
   * The filter restarts whenever the detector has to find the face again.
   * Call {@link resetTracking} when the next frame is not a continuation (new video, scene cut).
   * @throws InvalidFrameError (SEMFACE_ERR_INVALID_FRAME) for a malformed frame; TypeError for a
   *   non-finite `timestampMs`.
   */
  async track(frame: RgbaFrame, options: TrackOptions = {}): Promise<DetectedFace[]> {
    validateRgbaFrame(frame);
    const { timestampMs } = options;
    if (timestampMs !== undefined && !Number.isFinite(timestampMs)) {
      throw new TypeError('timestampMs must be a finite number');
    }
    const time = timestampMs === undefined ? undefined : timestampMs / 1000;
    if (this.trackedRoi) {
      const [mesh] = await this.meshRois(frame, [this.trackedRoi], 0);
      const face = await this.finish(frame, mesh!, this.trackedScore);
      if (face) {
        this.trackedRoi = roiFromMesh(mesh!.raw.points, MESH_VERTEX_COUNT, this.options.cropScale);
        return [this.stabilized(face, time)];
      }
    }
    // Lost (or no) face: whatever the detector finds next is a new track.
    this.trackedRoi = undefined;
    this.stabilizer?.reset();
    for (const d of await this.detectFaces(frame)) {
      const [mesh] = await this.meshRois(frame, [roiFromDetection(d, this.options.cropScale)]);
      const face = await this.finish(frame, mesh!, d.score);
      if (face) {
        this.trackedRoi = roiFromMesh(mesh!.raw.points, MESH_VERTEX_COUNT, this.options.cropScale);
        this.trackedScore = d.score;
        return [this.stabilized(face, time)];
      }
    }
    return [];
  }

  /** Forgets the tracked face: the next {@link track} call runs the detector and restarts the filter. */
  resetTracking(): void {
    this.trackedRoi = undefined;
    this.stabilizer?.reset();
  }

  /** The face with its mesh (and box) through the stabiliser, when on. */
  private stabilized(face: DetectedFace, time: number | undefined): DetectedFace {
    if (!this.stabilizer) return face;
    const mesh = this.stabilizer.filter(face.mesh, time);
    return { ...face, box: meshBoundingBox(mesh, MESH_VERTEX_COUNT), mesh, rawMesh: face.mesh };
  }

  /** Releases the ONNX sessions; the detector must not be used afterwards. */
  async dispose(): Promise<void> {
    await this.models.dispose();
  }

  /** Mesh passes over a batch of crops; each refine pass re-crops from the previous mesh. */
  private async meshRois(
    frame: RgbaFrame,
    rois: readonly RotatedRect[],
    refinePasses = this.options.refinePasses,
    minScore = this.options.minMeshScore,
  ): Promise<Array<{ raw: RawMesh; roi: RotatedRect }>> {
    let current = [...rois];
    let meshes = await this.meshModel.run(frame, current);
    for (let pass = 0; pass < refinePasses; pass++) {
      const ok = meshes.map((m) => m.score >= minScore);
      const next = current.map((roi, i) =>
        ok[i] ? roiFromMesh(meshes[i]!.points, MESH_VERTEX_COUNT, this.options.cropScale) : roi,
      );
      const todo = next.map((_, i) => i).filter((i) => ok[i]);
      if (todo.length === 0) break;
      const refined = await this.meshModel.run(
        frame,
        todo.map((i) => next[i]!),
      );
      todo.forEach((i, k) => {
        meshes[i] = refined[k]!;
        current[i] = next[i]!;
      });
      meshes = [...meshes];
      current = [...current];
    }
    return meshes.map((raw, i) => ({ raw, roi: current[i]! }));
  }

  private async finish(
    frame: RgbaFrame,
    { raw, roi }: { raw: RawMesh; roi: RotatedRect },
    score: number,
    minScore = this.options.minMeshScore,
  ): Promise<DetectedFace | null> {
    if (!(raw.score >= minScore)) return null;
    const mesh = this.irisModel
      ? await this.irisModel.refine(frame, raw.points, roi.size / MESH_INPUT_SIZE)
      : raw.points;
    return {
      box: meshBoundingBox(mesh, MESH_VERTEX_COUNT),
      score,
      meshScore: raw.score,
      mesh,
      pointCount: mesh.length / 3,
    };
  }
}

function area(b: FaceBox): number {
  return b.width * b.height;
}
