import type { InferenceSession } from 'onnxruntime-node';
import { InvalidModelError } from '../errors.js';
import type { OnnxRuntime } from './onnx-runtime.js';

/**
 * Runs a [N, inDim] -> [N, outDim] float32 graph over `rows` rows in batches of at most `batchSize`.
 * Input and output names are the graph's first input and output; `ort` makes the input tensors.
 */
export async function runBatched(
  ort: OnnxRuntime,
  session: InferenceSession,
  input: Float32Array,
  rows: number,
  inDim: number,
  outDim: number,
  batchSize: number,
): Promise<Float32Array> {
  const out = new Float32Array(rows * outDim);
  const inName = session.inputNames[0]!;
  const outName = session.outputNames[0]!;
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start);
    const tensor = new ort.Tensor('float32', input.subarray(start * inDim, (start + n) * inDim), [n, inDim]);
    const result = await session.run({ [inName]: tensor });
    const y = result[outName];
    if (!y || !(y.data instanceof Float32Array) || y.data.length !== n * outDim) {
      throw new InvalidModelError(`model output '${outName}' is not float32 [${n}, ${outDim}]`);
    }
    out.set(y.data, start * outDim);
  }
  return out;
}
