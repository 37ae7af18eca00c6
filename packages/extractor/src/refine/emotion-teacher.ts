import type { ModelRuntime } from '@semface/codec-core';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import { loadSession } from '../models/session.js';
import type { FaceBox, RgbaFrame } from '../types.js';
import { EMOTION_CROP_SCALE, EMOTION_INPUT_SIZE, writeEmotionInput } from './emotion-crop.js';

const { labels, logProbabilityFloor } = REFINEMENT_SPEC.emotion;

/** Values per face returned by {@link EmotionTeacher.logProbabilities}. */
export const EMOTION_VALUES: number = labels.length;

/**
 * The image emotion network (Human's mini-Xception, models/emotion.onnx) on a face's crop, as the
 * refinement's input: natural-log probabilities, floored, in the contract's label order. Create once
 * per model runtime; calls on one instance must not overlap.
 */
export class EmotionTeacher {
  private readonly pixels = EMOTION_INPUT_SIZE * EMOTION_INPUT_SIZE;
  private readonly rgb = new Float32Array(this.pixels * 3);

  private constructor(
    private readonly session: InferenceSession,
    private readonly cropScale: number,
  ) {}

  /**
   * Loads the emotion model from `models` (its file name comes from the contract). `cropScale` other
   * than the contract's is for calibration runs only: the refiner was trained on the contract's crop.
   */
  static async create(models: ModelRuntime, cropScale = EMOTION_CROP_SCALE): Promise<EmotionTeacher> {
    if (!(cropScale > 0 && cropScale <= 4)) throw new RangeError('cropScale must be in (0, 4]');
    return new EmotionTeacher(
      await loadSession(models, REFINEMENT_SPEC.emotion.model, { inputs: 1, outputs: 1 }),
      cropScale,
    );
  }

  /**
   * One row of {@link EMOTION_VALUES} log-probabilities per box (boxes in source pixels of `frame`),
   * concatenated.
   */
  async logProbabilities(frame: RgbaFrame, boxes: readonly FaceBox[]): Promise<Float32Array> {
    const n = boxes.length;
    if (n === 0) return new Float32Array(0);
    const x = new Float32Array(n * this.pixels);
    boxes.forEach((box, i) => writeEmotionInput(frame, box, x, i * this.pixels, this.rgb, this.cropScale));
    const feeds = {
      [this.session.inputNames[0]!]: new Tensor('float32', x, [n, EMOTION_INPUT_SIZE, EMOTION_INPUT_SIZE, 1]),
    };
    const results = await this.session.run(feeds);
    const p = results[this.session.outputNames[0]!]!.data as Float32Array;
    if (p.length !== n * EMOTION_VALUES) {
      throw new RangeError(`emotion model returned ${p.length} values for ${n} faces`);
    }
    const out = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = Math.log(Math.max(p[i]!, logProbabilityFloor));
    return out;
  }
}
