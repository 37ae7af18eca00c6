import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { InvalidModelError } from '../errors.js';
import { webCryptoSha256 } from './sha256.js';

/**
 * Where a {@link ModelRuntime} reads model files from: a folder on disk (`fileModelSource`, Node) or a
 * URL (`fetchModelSource`, browsers). Paths are relative to it (`manifest.json`, `<id>/<file>`).
 */
export interface ModelSource {
  /** The folder or URL, for messages. */
  readonly location: string;
  /** Full path or URL of a relative path, for messages. */
  describe(relativePath: string): string;
  /** The file's bytes; rejects when it cannot be read. */
  read(relativePath: string): Promise<Uint8Array>;
}

/** Reads models over HTTP(S) with `fetch` from `baseUrl` (a folder URL; a trailing `/` is added). */
export function fetchModelSource(baseUrl: string, fetchFn: typeof fetch = globalThis.fetch): ModelSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    location: base,
    describe: (rel) => `${base}${rel}`,
    async read(rel) {
      const res = await fetchFn(`${base}${rel}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

/**
 * The part of an onnxruntime package the models use. `onnxruntime-node` (Node) and `onnxruntime-web`
 * (browsers, wasm backend) both satisfy it; they share onnxruntime-common's API. Only types are
 * imported here, so this module loads no native code.
 */
export interface OnnxRuntime {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
}

/** Returns the runtime to create sessions with; called on first inference, may load it then. */
export type OnnxRuntimeLoader = () => Promise<OnnxRuntime>;

/** Whether an onnxruntime(-web) error is about its wasm backend rather than the model. */
export function isWasmFailure(err: unknown): boolean {
  return /wasm|webassembly|backend/i.test(String((err as Error)?.message ?? err));
}

/** What went wrong with a model file: unreadable, hash mismatch, or the runtime refused it. */
export type ModelFailure = 'read' | 'sha256' | 'load';

/** Options of a {@link ModelRuntime}. */
export interface ModelRuntimeOptions {
  /** Options of every session. Default: one intra-op and one inter-op thread. */
  readonly sessionOptions?: InferenceSession.SessionOptions;
  /**
   * The error thrown for a failure with file `where` (full path or URL), so each package keeps its own
   * error codes. Default: {@link InvalidModelError} (SEMFACE_ERR_INVALID_MODEL).
   */
  readonly error?: (failure: ModelFailure, where: string, cause?: unknown) => Error;
}

const defaultError = (failure: ModelFailure, where: string, cause?: unknown): Error =>
  new InvalidModelError(
    failure === 'read'
      ? `cannot read ${where}`
      : failure === 'sha256'
        ? `${where} does not match its sha256`
        : `${where}: ONNX load failed: ${(cause as Error)?.message ?? String(cause)}`,
  );

/**
 * The one model runtime of semface (codec, receiver heads, extractor, eval): model files from a
 * {@link ModelSource}, checked against their sha256, ONNX sessions from an injected {@link OnnxRuntime}
 * (onnxruntime-node in Node, onnxruntime-web in browsers), each session created once and reused.
 * Free of Node APIs.
 */
export class ModelRuntime {
  private readonly sessions = new Map<string, Promise<InferenceSession>>();
  private ort: Promise<OnnxRuntime> | undefined;

  constructor(
    readonly source: ModelSource,
    private readonly loadRuntime: OnnxRuntimeLoader,
    private readonly options: ModelRuntimeOptions = {},
  ) {}

  /** The ONNX runtime sessions are created with (loaded on first call). */
  runtime(): Promise<OnnxRuntime> {
    this.ort ??= this.loadRuntime();
    return this.ort;
  }

  /** The error for a failure with file `rel` (see {@link ModelRuntimeOptions.error}). */
  fail(failure: ModelFailure, rel: string, cause?: unknown): Error {
    return (this.options.error ?? defaultError)(failure, this.source.describe(rel), cause);
  }

  /** The bytes of `rel`, checked against `sha256` (hex) when one is given. */
  async read(rel: string, sha256?: string): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await this.source.read(rel);
    } catch (err) {
      throw this.fail('read', rel, err);
    }
    if (sha256 && (await webCryptoSha256(bytes)) !== sha256) throw this.fail('sha256', rel);
    return bytes;
  }

  /** A new session of `bytes` (the model file `rel`); {@link session} caches. */
  async create(bytes: Uint8Array, rel: string): Promise<InferenceSession> {
    const ort = await this.runtime();
    try {
      return await ort.InferenceSession.create(
        bytes,
        this.options.sessionOptions ?? { intraOpNumThreads: 1, interOpNumThreads: 1 },
      );
    } catch (err) {
      throw this.fail('load', rel, err);
    }
  }

  /** The session of model file `rel` (sha256-checked when given), created on first call and shared afterwards. */
  session(rel: string, sha256?: string): Promise<InferenceSession> {
    let s = this.sessions.get(rel);
    if (!s) {
      s = this.read(rel, sha256).then((bytes) => this.create(bytes, rel));
      this.sessions.set(rel, s);
      s.catch(() => this.sessions.delete(rel));
    }
    return s;
  }

  /** Runs a float32 graph: `input` of shape `dims` as its first input; returns its first output. */
  async run(session: InferenceSession, input: Float32Array, dims: readonly number[]): Promise<Float32Array> {
    return runGraph(await this.runtime(), session, input, dims);
  }

  /** Releases the sessions made by {@link session}. */
  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s).release()));
  }
}

async function runGraph(
  ort: OnnxRuntime,
  session: InferenceSession,
  input: Float32Array,
  dims: readonly number[],
): Promise<Float32Array> {
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
  const y = out[session.outputNames[0]!]?.data;
  if (!(y instanceof Float32Array)) throw new InvalidModelError(`model output '${session.outputNames[0]}' is not float32`);
  return y;
}

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
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start);
    const y = await runGraph(ort, session, input.subarray(start * inDim, (start + n) * inDim), [n, inDim]);
    if (y.length !== n * outDim) {
      throw new InvalidModelError(`model output '${session.outputNames[0]}' is not float32 [${n}, ${outDim}]`);
    }
    out.set(y, start * outDim);
  }
  return out;
}
