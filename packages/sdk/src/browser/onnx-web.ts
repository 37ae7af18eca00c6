import type { OnnxRuntime } from '@semface/codec-core/portable';
import * as ort from 'onnxruntime-web/wasm';

/** Options of {@link onnxWebRuntime}. */
export interface OnnxWebOptions {
  /**
   * URL prefix (ending in `/`) the wasm binary `ort-wasm-simd-threaded.wasm` of onnxruntime-web is
   * fetched from. Serve it yourself from `node_modules/onnxruntime-web/dist/`; nothing is loaded from a
   * CDN. Required.
   */
  readonly wasmPaths: string;
  /** wasm threads; more than 1 needs a cross-origin-isolated page. Default 1. Unit: threads. */
  readonly numThreads?: number;
}

let configured: string | undefined;

/**
 * onnxruntime-web (wasm backend) as the codec's and the heads' ONNX runtime. Configures `ort.env.wasm`
 * once per page; a second call with other options throws `RangeError`.
 */
export function onnxWebRuntime(options: OnnxWebOptions): OnnxRuntime {
  if (typeof options?.wasmPaths !== 'string' || options.wasmPaths.length === 0) {
    throw new TypeError('wasmPaths must be a non-empty string');
  }
  const threads = options.numThreads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('numThreads must be an integer >= 1');
  const key = `${options.wasmPaths}|${threads}`;
  if (configured !== undefined && configured !== key) {
    throw new RangeError('onnxruntime-web is already configured with other wasm options on this page');
  }
  configured = key;
  ort.env.wasm.wasmPaths = options.wasmPaths;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  return ort;
}
