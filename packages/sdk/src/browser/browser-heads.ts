import {
  DESCRIPTOR_LENGTH,
  type OnnxRuntime,
  profileIndices,
  webCryptoSha256,
} from '@semface/codec-core/portable';
import type { InferenceSession } from 'onnxruntime-web/wasm';
import { InvalidDescriptorError, ModelFetchError } from '../errors.js';
import { type HeadManifestEntry, type HeadsManifest, parseHeadsManifest } from '../heads/heads-manifest.js';
import type { ExpressionResult, VerifyResult } from '../heads/receiver-heads.js';
import { headInputBatch, splitHeadOutput } from '../heads/head-tensor.js';
import { createWebSession } from './onnx-web.js';

/** Options of {@link BrowserReceiverHeads.load}. */
export interface BrowserHeadsOptions {
  /** URL of the heads folder (manifest.json + ONNX files, as in the SDK's `models/`). */
  readonly modelsUrl: string;
  /** ONNX runtime, e.g. {@link onnxWebRuntime}. */
  readonly runtime: OnnxRuntime;
  /** fetch implementation. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

async function fetchBytes(fetchFn: typeof fetch, url: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (err) {
    throw new ModelFetchError(url, `cannot fetch ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) throw new ModelFetchError(url, `cannot fetch ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** One head network in the browser: descriptor fields of its profile in, a vector out. */
class WebHead {
  private readonly indices: Uint16Array;

  constructor(
    readonly entry: HeadManifestEntry,
    private readonly runtime: OnnxRuntime,
    private readonly session: InferenceSession,
  ) {
    this.indices = profileIndices(entry.profile);
    if (this.indices.length !== entry.inputDim) {
      throw new ModelFetchError(
        entry.file,
        `head ${entry.file}: profile ${entry.profile} does not have ${entry.inputDim} values`,
      );
    }
  }

  async run(descriptors: readonly Float32Array[]): Promise<Float32Array[]> {
    const n = descriptors.length;
    const d = this.entry.inputDim;
    const x = headInputBatch(descriptors, this.indices);
    const input = new this.runtime.Tensor('float32', x, [n, d]);
    const out = await this.session.run({ [this.session.inputNames[0]!]: input });
    const y = out[this.session.outputNames[0]!]!.data as Float32Array;
    return splitHeadOutput(y, n, this.entry.outputDim);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/**
 * The SDK receiver heads (expression recognition, identity verification) in a browser: the deployed
 * models of the heads manifest, fetched and hash-checked, run by onnxruntime-web. Same results as
 * `ReceiverHeads` in Node; works with `understandingHead`.
 */
export class BrowserReceiverHeads {
  private constructor(
    readonly manifest: HeadsManifest,
    private readonly expressionHead: WebHead,
    private readonly verificationHead: WebHead,
  ) {}

  /** Fetches the manifest and the deployed expression and verification models. */
  static async load(options: BrowserHeadsOptions): Promise<BrowserReceiverHeads> {
    if (typeof options?.modelsUrl !== 'string') throw new TypeError('modelsUrl must be a string');
    const base = options.modelsUrl.endsWith('/') ? options.modelsUrl : `${options.modelsUrl}/`;
    const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    const manifestUrl = `${base}manifest.json`;
    let manifest: HeadsManifest;
    try {
      manifest = parseHeadsManifest(
        JSON.parse(new TextDecoder().decode(await fetchBytes(fetchFn, manifestUrl))),
      );
    } catch (err) {
      if (err instanceof ModelFetchError) throw err;
      throw new ModelFetchError(manifestUrl, `heads manifest ${manifestUrl}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const head = async (kind: HeadManifestEntry['kind']): Promise<WebHead> => {
      const entry = manifest.heads.find((h) => h.kind === kind && h.fold === undefined);
      if (!entry) throw new ModelFetchError(manifestUrl, `no deployed ${kind} head in ${manifestUrl}`);
      const url = `${base}${entry.file}`;
      const bytes = await fetchBytes(fetchFn, url);
      if (entry.sha256 && (await webCryptoSha256(bytes)) !== entry.sha256) {
        throw new ModelFetchError(url, `head model ${url} does not match its sha256`);
      }
      return new WebHead(entry, options.runtime, await createWebSession(options.runtime, bytes, url));
    };
    const [e, v] = await Promise.all([head('expression'), head('verification')]);
    return new BrowserReceiverHeads(manifest, e, v);
  }

  /** Expression class names in probability order. */
  get expressionLabels(): readonly string[] {
    return this.expressionHead.entry.labels ?? [];
  }

  /** Distance threshold of the verification model. */
  get threshold(): number {
    return this.verificationHead.entry.threshold ?? 0;
  }

  /** Expression probabilities and label of one descriptor. */
  async expression(descriptor: Float32Array): Promise<ExpressionResult> {
    const [probabilities] = await this.expressionHead.run([descriptor]);
    const p = probabilities!;
    let best = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
    return { probabilities: p, label: this.expressionLabels[best] ?? String(best) };
  }

  /** 128-D verification vector of one descriptor. */
  async verificationVector(descriptor: Float32Array): Promise<Float32Array> {
    const [v] = await this.verificationHead.run([descriptor]);
    return v!;
  }

  /** Whether two descriptors show the same person. */
  async verify(a: Float32Array, b: Float32Array): Promise<VerifyResult> {
    const [va, vb] = await this.verificationHead.run([a, b]);
    const distance = euclidean(va!, vb!);
    return { same: distance < this.threshold, distance, threshold: this.threshold, source: 'descriptor' };
  }

  /** Releases the sessions. */
  async dispose(): Promise<void> {
    await this.expressionHead.release();
    await this.verificationHead.release();
  }
}

/** Euclidean distance between two vectors (verification distance). */
export function euclidean(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}
