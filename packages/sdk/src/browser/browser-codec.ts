import {
  DEFAULT_BATCH_SIZE,
  type FaceStreamDecoder,
  ModelCatalog,
  type OnnxRuntime,
  PortableSemfaceCodec,
  type StreamCodingName,
  fetchModelSource,
  isWasmFailure,
} from '@semface/codec-core/portable';
import { ModelFetchError, WasmInitError } from '../errors.js';

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

/** codec-core's codec whose stream decoders report their decode times. */
class TimedCodec extends PortableSemfaceCodec {
  constructor(
    store: ModelCatalog,
    private readonly onTime: BrowserCodecOptions['onDecodeTime'],
  ) {
    super(store, DEFAULT_BATCH_SIZE);
  }

  override createStreamDecoder(coding?: StreamCodingName): FaceStreamDecoder {
    const dec = super.createStreamDecoder(coding);
    const onTime = this.onTime;
    if (!onTime) return dec;
    const now = () => globalThis.performance.now();
    return {
      get needsKeyFrame() {
        return dec.needsKeyFrame;
      },
      reportLoss: () => dec.reportLoss(),
      async decodeFrame(packet) {
        const t0 = now();
        const f = await dec.decodeFrame(packet);
        onTime(now() - t0, f.descriptor);
        return f;
      },
    };
  }
}

/**
 * Loads codec-core's codec in a browser, for `connect({ codec })` (intra and temporal streams, decoded
 * locally): models fetched from `modelsUrl` (hash-checked), synthesis and analysis run by `runtime`
 * (onnxruntime-web). The same bitstream code as in Node decodes the frames.
 * @throws ModelFetchError when the manifest or a model does not load, or the models lack the expression
 * and identity profiles of temporal streams; WasmInitError when the runtime does not start.
 */
export async function loadBrowserCodec(options: BrowserCodecOptions): Promise<PortableSemfaceCodec> {
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
    codec = new TimedCodec(catalog, options.onDecodeTime);
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
  if (!codec.supportsCoding('temporal')) {
    throw new ModelFetchError(
      options.modelsUrl,
      'codec models lack the expression and identity profiles of temporal streams',
    );
  }
  return codec;
}
