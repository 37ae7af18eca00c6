import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DecodedIdentityCode,
  DEFAULT_IDENTITY_CODE_MODEL_PATH,
  type IdentityCodeModel,
  decodeIdentityCode,
  identityCodeSimilarity,
  identityCodeVector,
  loadIdentityCodeModel,
} from '@semface/codec-core';
import { SdkErrorCode, SemfaceSdkError } from '../errors.js';
import { type HeadManifestEntry, type HeadsManifest, parseHeadsManifest } from './heads-manifest.js';
import { OnnxHead } from './onnx-head.js';

/** Folder of the heads shipped with the SDK (manifest.json + ONNX files). */
export const DEFAULT_HEADS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** Options of {@link ReceiverHeads.load}. */
export interface ReceiverHeadsOptions {
  /** Folder with manifest.json and the head models. Default: the SDK's `models/` ({@link DEFAULT_HEADS_DIR}). */
  readonly modelsDir?: string;
  /**
   * Which verification model: `undefined` (default) = the deployed model trained on all people;
   * a number k = the evaluation model that never saw the people of LFW View 2 fold k.
   */
  readonly verificationFold?: number;
  /**
   * Identity-code model (issue 13): a path to its JSON, a parsed model, or `false` for none. Default: the
   * model shipped with @semface/codec-core when present.
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

/**
 * Receiver intelligence on decoded descriptors: expression recognition from the expression profile's
 * fields and identity verification from the identity profile's fields. Works on any decoded 257-D
 * descriptor (fields outside the head's profile are ignored). ONNX sessions are created once in
 * {@link ReceiverHeads.load} and reused.
 */
export class ReceiverHeads {
  private constructor(
    readonly manifest: HeadsManifest,
    private readonly expressionHead: OnnxHead | undefined,
    private readonly verificationHead: OnnxHead | undefined,
    /** The identity-code model, when one is loaded. */
    readonly identityCodeModel: IdentityCodeModel | undefined = undefined,
    /** See {@link ReceiverHeadsOptions.identitySource}. */
    readonly identitySource: IdentitySource = 'auto',
  ) {}

  /** Reads the manifest and loads the expression and verification models it lists. */
  static async load(options: ReceiverHeadsOptions = {}): Promise<ReceiverHeads> {
    const dir = options.modelsDir ?? DEFAULT_HEADS_DIR;
    if (typeof dir !== 'string') throw new TypeError('modelsDir must be a string');
    const fold = options.verificationFold;
    if (fold !== undefined && (!Number.isInteger(fold) || fold < 0)) {
      throw new RangeError('verificationFold must be a non-negative integer');
    }
    const path = join(dir, 'manifest.json');
    if (!existsSync(path))
      throw new SemfaceSdkError(SdkErrorCode.codecUnavailable, `no heads manifest at ${path}`);
    const manifest = parseHeadsManifest(JSON.parse(await readFile(path, 'utf8')));
    const pick = (kind: HeadManifestEntry['kind'], f?: number) =>
      manifest.heads.find((h) => h.kind === kind && h.fold === f);
    const e = pick('expression');
    const v = pick('verification', fold);
    if (fold !== undefined && !v) throw new RangeError(`no verification model for fold ${fold} in ${path}`);
    const source = options.identitySource ?? 'auto';
    if (source !== 'auto' && source !== 'descriptor')
      throw new RangeError(`identitySource must be 'auto' or 'descriptor', got '${String(source)}'`);
    const idm = options.identityCodeModel;
    let codeModel: IdentityCodeModel | undefined;
    if (typeof idm === 'object') codeModel = idm;
    else if (typeof idm === 'string') codeModel = await loadIdentityCodeModel(idm);
    else if (idm === undefined && existsSync(DEFAULT_IDENTITY_CODE_MODEL_PATH))
      codeModel = await loadIdentityCodeModel();
    return new ReceiverHeads(
      manifest,
      e ? await OnnxHead.load(dir, e) : undefined,
      v ? await OnnxHead.load(dir, v) : undefined,
      codeModel,
      source,
    );
  }

  private need(head: OnnxHead | undefined, kind: string): OnnxHead {
    if (!head)
      throw new SemfaceSdkError(SdkErrorCode.codecUnavailable, `no ${kind} head in the heads manifest`);
    return head;
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

  /** Expressions of many descriptors in one inference run. */
  async expressions(descriptors: readonly Float32Array[]): Promise<ExpressionResult[]> {
    const head = this.need(this.expressionHead, 'expression');
    const labels = head.entry.labels ?? [];
    return (await head.run(descriptors)).map((probabilities) => {
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
    return this.need(this.verificationHead, 'verification').run(descriptors);
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
  async dispose(): Promise<void> {
    await this.expressionHead?.dispose();
    await this.verificationHead?.dispose();
  }
}

/** Euclidean distance between two verification vectors. */
export function vectorDistance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}
