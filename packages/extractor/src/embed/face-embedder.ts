import { basename, dirname } from 'node:path';
import type { ModelRuntime } from '@semface/codec-core';
import type { InferenceSession } from 'onnxruntime-node';
import { FaceCropEmptyError, InvalidFrameError } from '../errors.js';
import { validateRgbaFrame } from '../input/frame.js';
import { extractorModels, loadSession } from '../models/session.js';
import type { DetectedFace, FaceBox, RgbaFrame } from '../types.js';
import { FACE_DESCRIPTOR_SIZE } from './descriptor-distance.js';
import { alignedFaceBox } from './face-alignment.js';
import { type FaceEmbedderOptions, resolveFaceEmbedderOptions } from './face-embedder-options.js';
import {
  EMBED_INPUT_LENGTH,
  EMBED_INPUT_SIZE,
  type PixelRect,
  clipBoxToFrame,
  writeNetInput,
} from './net-input.js';

/** One face region to embed: a frame and the box (source pixels) face-api would crop. */
export interface FaceRegion {
  readonly frame: RgbaFrame;
  readonly box: FaceBox;
}

/**
 * 128-D face descriptors with face-api's face recognition network (dlib ResNet, 99.38% on LFW) on
 * onnxruntime-node. Descriptors are comparable with face-api's own: same person when the euclidean
 * distance is below 0.6 ({@link SAME_PERSON_DISTANCE}). Create once with {@link FaceEmbedder.create};
 * the session is reused. Calls on one instance must not overlap; await each.
 */
export class FaceEmbedder {
  private constructor(
    /** The validated options this embedder runs with. */
    readonly options: Readonly<FaceEmbedderOptions>,
    private readonly models: ModelRuntime,
    private readonly session: InferenceSession,
  ) {}

  /**
   * Loads the model.
   * @throws TypeError / RangeError for invalid options; ModelLoadError (SEMFACE_ERR_MODEL_LOAD) when the
   *   model file is missing or not the face recognition model.
   */
  static async create(options: Partial<FaceEmbedderOptions> = {}): Promise<FaceEmbedder> {
    const o = resolveFaceEmbedderOptions(options);
    const models = extractorModels(dirname(o.modelPath), o.intraOpNumThreads);
    const session = await loadSession(models, basename(o.modelPath), { inputs: 1, outputs: 1 });
    return new FaceEmbedder(o, models, session);
  }

  /**
   * Descriptor of a detected face: the face-api crop box is derived from the mesh (eye and mouth
   * centres, {@link alignedFaceBox}), then cropped, padded and resized as face-api does.
   * @throws InvalidFrameError, FaceCropEmptyError (SEMFACE_ERR_FACE_CROP_EMPTY)
   */
  async embed(frame: RgbaFrame, face: DetectedFace): Promise<Float32Array> {
    const [d] = await this.embedFaces(frame, [face]);
    return d!;
  }

  /** Descriptors of several faces of one frame, batched. */
  async embedFaces(frame: RgbaFrame, faces: readonly DetectedFace[]): Promise<Float32Array[]> {
    validateRgbaFrame(frame);
    return this.embedRegions(
      faces.map((face) => ({ frame, box: alignedFaceBox(face, frame.width, frame.height) })),
    );
  }

  /**
   * Descriptor of the region `box` of `frame` exactly as face-api computes it for that box (clip to the
   * frame, pad to a square, bilinear resize to 150x150). With face-api's own aligned box this reproduces
   * face-api's descriptor.
   */
  async embedRegion(frame: RgbaFrame, box: FaceBox): Promise<Float32Array> {
    const [d] = await this.embedRegions([{ frame, box }]);
    return d!;
  }

  /** Descriptor of an already aligned face crop; it is resized to 150x150 if it is another size. */
  async embedCrop(crop: RgbaFrame): Promise<Float32Array> {
    const [d] = await this.embedCrops([crop]);
    return d!;
  }

  /** Descriptors of several aligned crops, batched. */
  async embedCrops(crops: readonly RgbaFrame[]): Promise<Float32Array[]> {
    return this.embedRegions(
      crops.map((frame) => ({ frame, box: { x: 0, y: 0, width: frame.width, height: frame.height } })),
    );
  }

  /**
   * Descriptors of many regions (any frames), run in batches of `maxBatch`.
   * @throws InvalidFrameError, FaceCropEmptyError (SEMFACE_ERR_FACE_CROP_EMPTY)
   */
  async embedRegions(regions: readonly FaceRegion[]): Promise<Float32Array[]> {
    const rects: PixelRect[] = regions.map(({ frame, box }) => {
      validateRgbaFrame(frame);
      checkBox(box);
      const rect = clipBoxToFrame(box, frame.width, frame.height);
      if (!rect) throw new FaceCropEmptyError(box, frame.width, frame.height);
      return rect;
    });
    const out: Float32Array[] = [];
    for (let start = 0; start < regions.length; start += this.options.maxBatch) {
      const n = Math.min(this.options.maxBatch, regions.length - start);
      const input = new Float32Array(n * EMBED_INPUT_LENGTH);
      for (let i = 0; i < n; i++) {
        writeNetInput(regions[start + i]!.frame, rects[start + i]!, input, i * EMBED_INPUT_LENGTH);
      }
      out.push(...(await this.run(input, n)));
    }
    return out;
  }

  /**
   * Runs the network on prepared inputs: `count` images of float32 [150, 150, 3] RGB in 0..255 back to back
   * (face-api's preprocessing, mean subtraction and /255, is inside the model).
   */
  async run(input: Float32Array, count: number): Promise<Float32Array[]> {
    if (!Number.isInteger(count) || count < 1 || input.length !== count * EMBED_INPUT_LENGTH) {
      throw new RangeError(
        `input must hold count x ${EMBED_INPUT_LENGTH} floats, got ${input.length} for count ${count}`,
      );
    }
    const data = await this.models.run(this.session, input, [count, EMBED_INPUT_SIZE, EMBED_INPUT_SIZE, 3]);
    const descriptors: Float32Array[] = [];
    for (let i = 0; i < count; i++) {
      descriptors.push(data.slice(i * FACE_DESCRIPTOR_SIZE, (i + 1) * FACE_DESCRIPTOR_SIZE));
    }
    return descriptors;
  }

  /** Releases the onnxruntime session. */
  dispose(): Promise<void> {
    return this.models.dispose();
  }
}

function checkBox(box: FaceBox): void {
  if (box === null || typeof box !== 'object') throw new InvalidFrameError('face box must be an object');
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    if (typeof box[k] !== 'number' || !Number.isFinite(box[k])) {
      throw new InvalidFrameError(`face box ${k} must be a finite number, got ${String(box[k])}`);
    }
  }
}
