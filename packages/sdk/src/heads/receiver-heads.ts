import {
  DESCRIPTOR_LENGTH,
  type DecodedIdentityCode,
  type IdentityCodeModel,
  type ModelFailure,
  ModelRuntime,
  type ModelSource,
  type OnnxRuntime,
  decodeIdentityCode,
  fetchModelSource,
  identityCodeSimilarity,
  identityCodeVector,
  isWasmFailure,
  profileIndices,
} from '@semface/codec-core/portable';
import {
  InvalidDescriptorError,
  ModelFetchError,
  SdkErrorCode,
  SemfaceSdkError,
  WasmInitError,
} from '../errors.js';
import { type HeadManifestEntry, type HeadsManifest, parseHeadsManifest } from './heads-manifest.js';

/** URL of the heads shipped with the SDK (`models/`: manifest.json + ONNX files); Node only. */
export const DEFAULT_HEADS_URL = new URL('../../models/', import.meta.url);

/** Options of {@link ReceiverHeads.load}. */
export interface ReceiverHeadsOptions {
  /** Folder with manifest.json and the head models (Node). Default: the SDK's `models/` (`DEFAULT_HEADS_DIR`). */
  readonly modelsDir?: string;
  /** URL of the heads folder, read with `fetch` instead of {@link modelsDir} (browsers). */
  readonly modelsUrl?: string;
  /** ONNX runtime, e.g. `onnxWebRuntime(...)` in browsers. Default: onnxruntime-node. */
  readonly runtime?: OnnxRuntime;
  /** fetch implementation for {@link modelsUrl}. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * Which verification model: `undefined` (default) = the deployed model trained on all people;
   * a number k = the evaluation model that never saw the people of LFW View 2 fold k.
   */
  readonly verificationFold?: number;
  /**
   * Identity-code model (issue 13): a path to its JSON (Node), a parsed model, or `false` for none. Default
   * in Node: the model shipped with @semface/codec-core when present; with {@link modelsUrl}: none.
   */
  readonly identityCodeModel?: string | IdentityCodeModel | false;
  /**
   * How {@link ReceiverHeads.verify} / {@link ReceiverHeads.verificationVector} identify a face:
   * `'auto'` (default) uses the decoded identity code when the face carries one (both faces, same rate
   * point, for verify) and the descriptor head otherwise; `'descriptor'` always uses the descriptor head.
   */
  readonly identitySource?: IdentitySource;
}

/** Which identity evidence verification uses. */
export type IdentitySource = 'auto' | 'descriptor';

/**
 * A face as the receiver knows it: its decoded descriptor and/or its identity code (the packet bytes of an
 * identity-code frame, or the decoded code). A bare Float32Array is a descriptor.
 */
export interface FaceIdentity {
  readonly descriptor?: Float32Array;
  readonly identityCode?: Uint8Array | DecodedIdentityCode;
}

/** Expression recognised from a descriptor. */
export interface ExpressionResult {
  /** Class probabilities, in the order of {@link ReceiverHeads.expressionLabels}. */
  readonly probabilities: Float32Array;
  /** The most probable class. */
  readonly label: string;
}

/** Outcome of comparing two faces. */
export interface VerifyResult {
  readonly same: boolean;
  /** Euclidean distance between the two verification vectors. */
  readonly distance: number;
  /** Distance below which faces are the same person. */
  readonly threshold: number;
  /**
   * What was compared: `'identityCode'` (distance = 1 - cosine of the decoded identity codes) or
   * `'descriptor'` (the verification head on the descriptors).
   */
  readonly source?: 'identityCode' | 'descriptor';
}

type Session = Awaited<ReturnType<ModelRuntime['session']>>;
/** One head network: the descriptor fields of its profile in, a vector out. */
interface Head {
  readonly entry: HeadManifestEntry;
  readonly indices: Uint16Array;
  readonly session: Session;
}

/** The SDK error of a heads failure: files on disk are `codecUnavailable`; fetched ones ModelFetchError or WasmInitError. */
function headsError(url: boolean, message: string, where: string, cause?: unknown): SemfaceSdkError {
  if (!url) return new SemfaceSdkError(SdkErrorCode.codecUnavailable, message, { cause });
  return isWasmFailure(cause)
    ? new WasmInitError(message, { cause })
    : new ModelFetchError(where, message, { cause });
}

const HEAD_FAILURE: Record<ModelFailure, string> = {
  read: 'is missing',
  sha256: 'does not match its sha256',
  load: 'does not load',
};

/**
 * Receiver intelligence on decoded descriptors: expression recognition from the expression profile's
 * fields and identity verification from the identity profile's fields. Works on any decoded 257-D
 * descriptor (fields outside the head's profile are ignored). The models run on codec-core's
 * {@link ModelRuntime}: in Node from a folder with onnxruntime-node, in browsers from a URL with the
 * injected onnxruntime-web (`modelsUrl` + `runtime`); sessions are created once in {@link ReceiverHeads.load}.
 */
export class ReceiverHeads {
  private constructor(
    readonly manifest: HeadsManifest,
    private readonly files: ModelRuntime,
    private readonly expressionHead: Head | undefined,
    private readonly verificationHead: Head | undefined,
    /** The identity-code model, when one is loaded. */
    readonly identityCodeModel: IdentityCodeModel | undefined = undefined,
    /** See {@link ReceiverHeadsOptions.identitySource}. */
    readonly identitySource: IdentitySource = 'auto',
  ) {}

  /** Reads the manifest and loads the expression and verification models it lists. */
  static async load(options: ReceiverHeadsOptions = {}): Promise<ReceiverHeads> {
    const { modelsDir, modelsUrl, runtime, verificationFold: fold } = options;
    if (modelsDir !== undefined && typeof modelsDir !== 'string')
      throw new TypeError('modelsDir must be a string');
    if (modelsUrl !== undefined && typeof modelsUrl !== 'string')
      throw new TypeError('modelsUrl must be a string');
    if (fold !== undefined && (!Number.isInteger(fold) || fold < 0)) {
      throw new RangeError('verificationFold must be a non-negative integer');
    }
    const source = options.identitySource ?? 'auto';
    if (source !== 'auto' && source !== 'descriptor')
      throw new RangeError(`identitySource must be 'auto' or 'descriptor', got '${String(source)}'`);
    // Files on disk and onnxruntime-node come from codec-core's Node entry, loaded only when needed.
    const url = modelsUrl !== undefined;
    const node = !url || !runtime ? await import('@semface/codec-core') : undefined;
    const models: ModelSource = url
      ? fetchModelSource(modelsUrl, options.fetch ?? globalThis.fetch.bind(globalThis))
      : node!.fileModelSource(modelsDir ?? DEFAULT_HEADS_URL);
    const files = new ModelRuntime(models, runtime ? async () => runtime : node!.loadOnnxNode, {
      error: (failure, where, cause) =>
        headsError(
          url,
          `head model ${where} ${HEAD_FAILURE[failure]}${cause ? `: ${cause}` : ''}`,
          where,
          cause,
        ),
    });
    const where = models.describe('manifest.json');
    let bytes: Uint8Array;
    try {
      bytes = await models.read('manifest.json');
    } catch (err) {
      throw headsError(url, `no heads manifest at ${where}`, where, err);
    }
    let manifest: HeadsManifest;
    try {
      manifest = parseHeadsManifest(JSON.parse(new TextDecoder().decode(bytes)));
    } catch (err) {
      throw headsError(url, `heads manifest ${where}: ${(err as Error).message}`, where, err);
    }
    const pick = (kind: HeadManifestEntry['kind'], f?: number) =>
      manifest.heads.find((h) => h.kind === kind && h.fold === f);
    const v = pick('verification', fold);
    if (fold !== undefined && !v) throw new RangeError(`no verification model for fold ${fold} in ${where}`);
    const head = async (entry: HeadManifestEntry | undefined): Promise<Head | undefined> => {
      if (!entry) return undefined;
      const indices = profileIndices(entry.profile);
      if (indices.length !== entry.inputDim) {
        const msg = `head ${entry.file}: profile ${entry.profile} has ${indices.length} values, model expects ${entry.inputDim}`;
        throw headsError(url, msg, models.describe(entry.file));
      }
      return { entry, indices, session: await files.session(entry.file, entry.sha256) };
    };
    const idm = options.identityCodeModel;
    let codeModel: IdentityCodeModel | undefined;
    if (typeof idm === 'object') codeModel = idm;
    else if (typeof idm === 'string') {
      if (!node) throw new TypeError('identityCodeModel must be a parsed model when the heads are fetched');
      codeModel = await node.loadIdentityCodeModel(idm);
    } else if (idm === undefined && !url) {
      codeModel = await node!.loadIdentityCodeModel().catch((err: { code?: string }) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
    }
    return new ReceiverHeads(
      manifest,
      files,
      await head(pick('expression')),
      await head(v),
      codeModel,
      source,
    );
  }

  private need(head: Head | undefined, kind: string): Head {
    if (!head)
      throw new SemfaceSdkError(SdkErrorCode.codecUnavailable, `no ${kind} head in the heads manifest`);
    return head;
  }

  /** Runs a head on 257-D descriptors; one output vector per descriptor. */
  private async run(head: Head, descriptors: readonly Float32Array[]): Promise<Float32Array[]> {
    const n = descriptors.length;
    if (n === 0) return [];
    const k = head.entry.outputDim;
    const y = await this.files.run(head.session, headInput(descriptors, head.indices), [
      n,
      head.indices.length,
    ]);
    return Array.from({ length: n }, (_, r) => y.slice(r * k, (r + 1) * k));
  }

  /** Expression class names in probability order. */
  get expressionLabels(): readonly string[] {
    return this.need(this.expressionHead, 'expression').entry.labels ?? [];
  }

  /** Distance threshold of the loaded verification model. */
  get threshold(): number {
    return this.need(this.verificationHead, 'verification').entry.threshold ?? 0;
  }

  /** Expression probabilities and label of one descriptor. */
  async expression(descriptor: Float32Array): Promise<ExpressionResult> {
    const [r] = await this.expressions([descriptor]);
    return r!;
  }

  /**
   * The expression label of one descriptor; reads only the per-frame fields, so it can be a stream's
   * `taskLabel` (`connect(url, { taskLabel: (d) => heads.expressionLabel(d) })`).
   */
  async expressionLabel(descriptor: Float32Array): Promise<string> {
    return (await this.expression(descriptor)).label;
  }

  /** Expressions of many descriptors in one inference run. */
  async expressions(descriptors: readonly Float32Array[]): Promise<ExpressionResult[]> {
    const head = this.need(this.expressionHead, 'expression');
    const labels = head.entry.labels ?? [];
    return (await this.run(head, descriptors)).map((probabilities) => {
      let best = 0;
      for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
      return { probabilities, label: labels[best] ?? String(best) };
    });
  }

  /**
   * Verification vector of one face: with an identity code (and `identitySource` 'auto'), the decoded
   * code's vector (compare with cosine, see {@link identityCodeSimilarity}); else the descriptor head's
   * 128-D vector (regresses face-api's face embedding; compare with {@link vectorDistance}).
   */
  async verificationVector(face: Float32Array | FaceIdentity): Promise<Float32Array> {
    const code = this.#code(face);
    if (code) return Float32Array.from(identityCodeVector(this.identityCodeModel!, code));
    const [v] = await this.verificationVectors([this.#descriptor(face)]);
    return v!;
  }

  /** The decoded identity code of a face when it has one and the receiver uses codes. */
  #code(face: Float32Array | FaceIdentity): DecodedIdentityCode | undefined {
    if (face instanceof Float32Array || this.identitySource === 'descriptor') return undefined;
    const c = face.identityCode;
    if (c === undefined) return undefined;
    if (!this.identityCodeModel)
      throw new SemfaceSdkError(SdkErrorCode.codecUnavailable, 'no identity-code model is loaded');
    return c instanceof Uint8Array ? decodeIdentityCode(c, this.identityCodeModel) : c;
  }

  #descriptor(face: Float32Array | FaceIdentity): Float32Array {
    const d = face instanceof Float32Array ? face : face.descriptor;
    if (!d) throw new TypeError('the face has neither a usable identity code nor a descriptor');
    return d;
  }

  /** Verification vectors of many descriptors in one inference run. */
  async verificationVectors(descriptors: readonly Float32Array[]): Promise<Float32Array[]> {
    return this.run(this.need(this.verificationHead, 'verification'), descriptors);
  }

  /**
   * Whether two faces show the same person. Identity codes are used when both faces carry one at the
   * same rate point (and `identitySource` is 'auto'); otherwise the descriptors go through the head.
   */
  async verify(a: Float32Array | FaceIdentity, b: Float32Array | FaceIdentity): Promise<VerifyResult> {
    const ca = this.#code(a);
    const cb = this.#code(b);
    if (ca && cb && ca.rateIndex === cb.rateIndex) {
      const m = this.identityCodeModel!;
      const cos = identityCodeSimilarity(identityCodeVector(m, ca), identityCodeVector(m, cb));
      const t = m.ratePoints[ca.rateIndex]!.cosineThreshold;
      const threshold = Number.isNaN(t) ? 1 : 1 - t;
      const distance = 1 - cos;
      return { same: distance <= threshold, distance, threshold, source: 'identityCode' };
    }
    const [va, vb] = await this.verificationVectors([this.#descriptor(a), this.#descriptor(b)]);
    const distance = vectorDistance(va!, vb!);
    const threshold = this.threshold;
    return { same: distance < threshold, distance, threshold, source: 'descriptor' };
  }

  /** Releases the ONNX sessions. */
  dispose(): Promise<void> {
    return this.files.dispose();
  }
}

/** Euclidean distance between two verification vectors. */
export function vectorDistance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/**
 * Gathers a head's input fields of each 257-D descriptor into one row-major batch (n x indices.length).
 * @throws InvalidDescriptorError (SEMFACE_ERR_SDK_INVALID_DESCRIPTOR) for a wrong type, length or a
 * non-finite value.
 */
function headInput(descriptors: readonly Float32Array[], indices: Uint16Array): Float32Array {
  const d = indices.length;
  const x = new Float32Array(descriptors.length * d);
  descriptors.forEach((desc, r) => {
    if (!(desc instanceof Float32Array) || desc.length !== DESCRIPTOR_LENGTH) {
      throw new InvalidDescriptorError(
        `descriptor ${r} must be a Float32Array of length ${DESCRIPTOR_LENGTH}`,
      );
    }
    for (let i = 0; i < d; i++) {
      const v = desc[indices[i]!]!;
      if (!Number.isFinite(v)) throw new InvalidDescriptorError(`descriptor ${r} has a non-finite value`);
      x[r * d + i] = v;
    }
  });
  return x;
}
