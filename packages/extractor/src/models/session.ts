import { ModelRuntime, fileModelSource, loadOnnxNode } from '@semface/codec-core';
import type { InferenceSession } from 'onnxruntime-node';
import { ModelLoadError } from '../errors.js';

/**
 * The extractor's models on codec-core's {@link ModelRuntime}: files of `dir`, onnxruntime-node on the
 * CPU, each session created once per runtime. Failures are ModelLoadError (SEMFACE_ERR_MODEL_LOAD).
 */
export function extractorModels(dir: string, intraOpNumThreads: number): ModelRuntime {
  return new ModelRuntime(fileModelSource(dir), loadOnnxNode, {
    sessionOptions: {
      executionProviders: ['cpu'],
      intraOpNumThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    },
    error: (failure, path, cause) =>
      new ModelLoadError(
        path,
        failure === 'read' ? 'file not found' : cause instanceof Error ? cause.message : String(cause),
        cause,
      ),
  });
}

/**
 * The session of model file `file`, checked for its declared inputs/outputs so that a wrong file fails
 * here, not on the first frame.
 * @throws ModelLoadError (SEMFACE_ERR_MODEL_LOAD)
 */
export async function loadSession(
  models: ModelRuntime,
  file: string,
  expected: { readonly inputs: number; readonly outputs: number },
): Promise<InferenceSession> {
  const session = await models.session(file);
  if (session.inputNames.length !== expected.inputs || session.outputNames.length !== expected.outputs) {
    throw new ModelLoadError(
      models.source.describe(file),
      `expected ${expected.inputs} input(s) and ${expected.outputs} output(s), found ` +
        `${session.inputNames.length} and ${session.outputNames.length}`,
    );
  }
  return session;
}
