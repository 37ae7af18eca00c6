import { CodecUnavailableError } from '../errors.js';
import type { PortableSemfaceCodec } from '@semface/codec-core/portable';

let shared: Promise<PortableSemfaceCodec> | undefined;

/**
 * The codec used when `connect` gets none: `SemfaceCodec` of @semface/codec-core with the models
 * shipped in that package, loaded once per process on first use (Node only: it runs onnxruntime-node).
 * @throws CodecUnavailableError when the package or its model manifest cannot be loaded.
 */
export function loadDefaultCodec(): Promise<PortableSemfaceCodec> {
  shared ??= (async () => {
    try {
      const core = await import('@semface/codec-core');
      return await core.SemfaceCodec.load();
    } catch (err) {
      shared = undefined;
      throw new CodecUnavailableError(
        `default codec failed to load (pass options.codec): ${(err as Error).message}`,
        { cause: err },
      );
    }
  })();
  return shared;
}
