import type { InferenceSession, Tensor } from 'onnxruntime-node';

/**
 * The part of an onnxruntime package the codec uses. `onnxruntime-node` (Node, the default) and
 * `onnxruntime-web` (browsers, wasm backend) both satisfy it; they share onnxruntime-common's API.
 * Only types are imported here, so this module loads no native code.
 */
export interface OnnxRuntime {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
}

/** Returns the runtime to create sessions with; called on first inference, may load it then. */
export type OnnxRuntimeLoader = () => Promise<OnnxRuntime>;
