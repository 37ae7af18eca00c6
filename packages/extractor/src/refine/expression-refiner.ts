import type { ModelRuntime } from '@semface/codec-core';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import { loadSession } from '../models/session.js';
import { EMOTION_VALUES } from './emotion-teacher.js';

const { input, output } = REFINEMENT_SPEC.refiner;
const DELTA = output.end - output.start;

/**
 * The learned expression refinement (training/refine; issue 15): from the fitted descriptor's
 * expression, rotation and translation and the emotion network's log-probabilities, a correction of
 * the 64 expression coefficients that makes them carry the emotion while the rebuilt mesh stays on
 * the detected one (trained with a mesh-displacement budget). Create once per model runtime.
 */
export class ExpressionRefiner {
  private constructor(private readonly session: InferenceSession) {}

  /** Loads `expression-refiner.onnx` (name from the contract) from `models`. */
  static async create(models: ModelRuntime): Promise<ExpressionRefiner> {
    return new ExpressionRefiner(
      await loadSession(models, REFINEMENT_SPEC.refiner.model, { inputs: 1, outputs: 1 }),
    );
  }

  /**
   * Refined copies of `descriptors` (full layout) given each face's emotion log-probabilities
   * ({@link EMOTION_VALUES} per face, concatenated in the same order).
   */
  async refine(descriptors: readonly Float32Array[], emotion: Float32Array): Promise<Float32Array[]> {
    const n = descriptors.length;
    if (n === 0) return [];
    if (emotion.length !== n * EMOTION_VALUES) {
      throw new RangeError(`expected ${n * EMOTION_VALUES} emotion values, got ${emotion.length}`);
    }
    const x = new Float32Array(n * input.width);
    descriptors.forEach((d, i) => {
      let o = i * input.width;
      for (const s of input.descriptorSlices) {
        x.set(d.subarray(s.start, s.end), o);
        o += s.end - s.start;
      }
      x.set(emotion.subarray(i * EMOTION_VALUES, (i + 1) * EMOTION_VALUES), o);
    });
    const results = await this.session.run({
      [this.session.inputNames[0]!]: new Tensor('float32', x, [n, input.width]),
    });
    const delta = results[this.session.outputNames[0]!]!.data as Float32Array;
    if (delta.length !== n * DELTA)
      throw new RangeError(`refiner returned ${delta.length} values for ${n} faces`);
    return descriptors.map((d, i) => {
      const out = Float32Array.from(d);
      const exp = out.subarray(output.start, output.end);
      for (let k = 0; k < DELTA; k++) exp[k] = exp[k]! + delta[i * DELTA + k]!;
      return out;
    });
  }
}
