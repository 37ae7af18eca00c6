import { access } from 'node:fs/promises';
import { InferenceSession } from 'onnxruntime-node';
import { ModelLoadError } from '../errors.js';

/** How an ONNX session runs. */
export interface SessionOptions {
  /** Threads used inside one operator. Default 1: the extractor runs beside other work. */
  readonly intraOpNumThreads: number;
}

/**
 * Creates an onnxruntime CPU session for a model file; sessions are meant to be created once and reused.
 * Checks the declared inputs/outputs so that a wrong file fails here, not on the first frame.
 * @throws ModelLoadError (SEMFACE_ERR_MODEL_LOAD)
 */
export async function createSession(
  path: string,
  options: SessionOptions,
  expected: { readonly inputs: number; readonly outputs: number },
): Promise<InferenceSession> {
  try {
    await access(path);
  } catch (cause) {
    throw new ModelLoadError(path, 'file not found', cause);
  }
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(path, {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.intraOpNumThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ModelLoadError(path, detail, cause);
  }
  if (session.inputNames.length !== expected.inputs || session.outputNames.length !== expected.outputs) {
    await session.release();
    throw new ModelLoadError(
      path,
      `expected ${expected.inputs} input(s) and ${expected.outputs} output(s), found ` +
        `${session.inputNames.length} and ${session.outputNames.length}`,
    );
  }
  return session;
}
