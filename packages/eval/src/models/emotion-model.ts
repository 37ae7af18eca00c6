import { basename, dirname, join } from 'node:path';
import { ModelRuntime, fileModelSource, loadOnnxNode } from '@semface/codec-core';
import { DEFAULT_MODEL_DIR } from '@semface/extractor';
import type { InferenceSession } from 'onnxruntime-node';
import { type RawImage, resizeRaw } from '../baselines/raw-image.js';
import { EXPRESSION_LABELS } from '../data/expression-set.js';

/** Output order of the Human/oarriaga emotion model. */
const MODEL_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
const INPUT = 64;

/**
 * The image expression model (Human's oarriaga mini-Xception, models/emotion.onnx of the extractor):
 * 64x64 gray in [-1, 1] -> 7 probabilities, re-ordered to {@link EXPRESSION_LABELS}. Preprocessing
 * follows Human: bilinear resize, RGB -> gray with (0.2989, 0.5870, 0.1140), (g - 0.5) * 2.
 */
export class EmotionModel {
  private readonly order = EXPRESSION_LABELS.map((l) => MODEL_LABELS.indexOf(l));

  private constructor(
    private readonly models: ModelRuntime,
    private readonly session: InferenceSession,
  ) {}

  /** Loads the model on codec-core's model runtime (once; reuse the instance). */
  static async load(path = join(DEFAULT_MODEL_DIR, 'emotion.onnx')): Promise<EmotionModel> {
    const models = new ModelRuntime(fileModelSource(dirname(path)), loadOnnxNode);
    return new EmotionModel(models, await models.session(basename(path)));
  }

  /** Probabilities per image, in {@link EXPRESSION_LABELS} order. */
  async predict(images: readonly RawImage[], batch = 64): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let s = 0; s < images.length; s += batch) {
      const chunk = images.slice(s, s + batch);
      const x = new Float32Array(chunk.length * INPUT * INPUT);
      chunk.forEach((img, n) => {
        const r = resizeRaw(img, INPUT);
        for (let i = 0; i < INPUT * INPUT; i++) {
          const g =
            r.channels === 1
              ? r.data[i]! / 255
              : (0.2989 * r.data[i * 3]! + 0.587 * r.data[i * 3 + 1]! + 0.114 * r.data[i * 3 + 2]!) / 255;
          x[n * INPUT * INPUT + i] = (g - 0.5) * 2;
        }
      });
      const y = await this.models.run(this.session, x, [chunk.length, INPUT, INPUT, 1]);
      chunk.forEach((_, n) => {
        const p = new Float32Array(EXPRESSION_LABELS.length);
        this.order.forEach((j, i) => {
          p[i] = y[n * MODEL_LABELS.length + j]!;
        });
        out.push(p);
      });
    }
    return out;
  }

  dispose(): Promise<void> {
    return this.models.dispose();
  }
}
