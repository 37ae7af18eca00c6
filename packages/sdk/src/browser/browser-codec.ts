import {
  ModelCatalog,
  type OnnxRuntime,
  PortableSemfaceCodec,
  TemporalStreamDecoder,
  TemporalStreamEncoder,
  fetchModelSource,
} from '@semface/codec-core/portable';
import type { DescriptorCodec } from '../codec/descriptor-codec.js';
import { type TemporalCoding, temporalCodingWith } from '../codec/temporal-codec.js';
import { ModelFetchError, WasmInitError } from '../errors.js';
import { isWasmFailure } from './onnx-web.js';

/** Options of {@link loadBrowserCodec}. */
export interface BrowserCodecOptions {
  /** URL of the codec models folder (manifest.json and `<id>/` folders, as shipped in codec-core's `models/`). */
  readonly modelsUrl: string;
  /** ONNX runtime, e.g. {@link onnxWebRuntime}. */
  readonly runtime: OnnxRuntime;
  /** Called after each decoded frame with its decode time (entropy decoding + synthesis), ms. */
  readonly onDecodeTime?: (ms: number, descriptor: Float32Array) => void;
  /** Create the ONNX sessions of every model now instead of on the first frame. Default true. */
  readonly warmUp?: boolean;
  /** fetch implementation. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/** A codec for `connect({ codec })` in a browser: intra and temporal streams, decoded locally. */
export type BrowserCodec = DescriptorCodec & TemporalCoding & { readonly codec: PortableSemfaceCodec };

/**
 * Loads codec-core's codec in a browser: models fetched from `modelsUrl` (hash-checked), synthesis and
 * analysis run by `runtime` (onnxruntime-web). The same bitstream code as in Node decodes the frames.
 * @throws ModelFetchError when the manifest or a model does not load; WasmInitError when the runtime does not start.
 */
export async function loadBrowserCodec(options: BrowserCodecOptions): Promise<BrowserCodec> {
  if (typeof options?.modelsUrl !== 'string') throw new TypeError('modelsUrl must be a string');
  if (typeof options.runtime?.InferenceSession?.create !== 'function') {
    throw new TypeError('runtime must be an onnxruntime module');
  }
  let codec: PortableSemfaceCodec;
  try {
    const catalog = await ModelCatalog.load(
      fetchModelSource(options.modelsUrl, options.fetch),
      async () => options.runtime,
    );
    codec = PortableSemfaceCodec.fromModels(catalog);
    if (options.warmUp ?? true) await Promise.all(catalog.models.map((m) => catalog.sessionsFor(m.id)));
  } catch (err) {
    if (isWasmFailure(err))
      throw new WasmInitError(`codec models: ${(err as Error).message}`, { cause: err });
    throw new ModelFetchError(
      options.modelsUrl,
      `codec models at ${options.modelsUrl}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const temporal = temporalCodingWith(codec, { TemporalStreamEncoder, TemporalStreamDecoder });
  if (!temporal) {
    throw new ModelFetchError(
      options.modelsUrl,
      'codec models lack the expression and identity profiles of temporal streams',
    );
  }
  const onTime = options.onDecodeTime;
  const now = () => globalThis.performance.now();
  return {
    codec,
    createStreamEncoder: (o) => codec.createStreamEncoder(o),
    createStreamDecoder() {
      const dec = codec.createStreamDecoder();
      return {
        async decodeFrame(packet) {
          const t0 = now();
          const f = await dec.decodeFrame(packet);
          onTime?.(now() - t0, f.descriptor);
          return f;
        },
      };
    },
    createTemporalEncoder: (o) => temporal.createTemporalEncoder(o),
    createTemporalDecoder() {
      const dec = temporal.createTemporalDecoder();
      return {
        get needsKeyFrame() {
          return dec.needsKeyFrame;
        },
        reportLoss: () => dec.reportLoss(),
        async decodeFrame(packet) {
          const t0 = now();
          const f = await dec.decodeFrame(packet);
          onTime?.(now() - t0, f.descriptor);
          return f;
        },
      };
    },
  };
}
