import type { ModelRuntime } from '@semface/codec-core';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import { loadSession } from '../models/session.js';
import type { FaceBox, RgbaFrame } from '../types.js';
import { EMOTION_CROP_SCALE, EMOTION_INPUT_SIZE, writeEmotionInput } from './emotion-crop.js';

const { labels, logProbabilityFloor, stillViews } = REFINEMENT_SPEC.emotion;

/** Values per face returned by {@link EmotionTeacher.logProbabilities}. */
export const EMOTION_VALUES: number = labels.length;

/**
 * Which crops of a face the network sees: `single` (the contract's crop; the tracking path, whose values
 * are averaged over frames instead) or `still` (contract `emotion.stillViews`: several crop scales,
 * each also mirrored, probabilities averaged; photos and dataset images).
 */
export type EmotionViews = 'single' | 'still';

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
   * concatenated; `views` says which crops of each face the network sees (one batch for all).
   * @throws TypeError for unknown `views`.
   */
  async logProbabilities(
    frame: RgbaFrame,
    boxes: readonly FaceBox[],
    views: EmotionViews = 'single',
  ): Promise<Float32Array> {
    if (views !== 'single' && views !== 'still') throw new TypeError(`views must be 'single' or 'still'`);
    const n = boxes.length;
    if (n === 0) return new Float32Array(0);
    const scales = views === 'still' ? stillViews.scales : [this.cropScale];
    const mirrored = views === 'still' && stillViews.mirror;
    const k = scales.length * (mirrored ? 2 : 1);
    const px = this.pixels;
    const x = new Float32Array(n * k * px);
    boxes.forEach((box, i) => {
      scales.forEach((scale, s) => {
        const at = (i * k + s) * px;
        writeEmotionInput(frame, box, x, at, this.rgb, scale);
        if (mirrored) mirrorInput(x, at, (i * k + scales.length + s) * px);
      });
    });
    const feeds = {
      [this.session.inputNames[0]!]: new Tensor('float32', x, [
        n * k,
        EMOTION_INPUT_SIZE,
        EMOTION_INPUT_SIZE,
        1,
      ]),
    };
    const results = await this.session.run(feeds);
    const p = results[this.session.outputNames[0]!]!.data as Float32Array;
    if (p.length !== n * k * EMOTION_VALUES) {
      throw new RangeError(`emotion model returned ${p.length} values for ${n * k} crops`);
    }
    const out = new Float32Array(n * EMOTION_VALUES);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < EMOTION_VALUES; c++) {
        let sum = 0;
        for (let v = 0; v < k; v++) sum += p[(i * k + v) * EMOTION_VALUES + c]!;
        out[i * EMOTION_VALUES + c] = Math.log(Math.max(sum / k, logProbabilityFloor));
      }
    }
    return out;
  }
}

/** Writes the left-right mirror image of the square network input at `from` to `to`. */
function mirrorInput(x: Float32Array, from: number, to: number): void {
  const size = EMOTION_INPUT_SIZE;
  for (let y = 0; y < size; y++) {
    for (let c = 0; c < size; c++) x[to + y * size + c] = x[from + y * size + size - 1 - c]!;
  }
}
