import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    return new ReceiverHeads(
      manifest,
      e ? await OnnxHead.load(dir, e) : undefined,
      v ? await OnnxHead.load(dir, v) : undefined,
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

  /** 128-D verification vector of one descriptor (regresses face-api's face embedding). */
  async verificationVector(descriptor: Float32Array): Promise<Float32Array> {
    const [v] = await this.verificationVectors([descriptor]);
    return v!;
  }

  /** Verification vectors of many descriptors in one inference run. */
  async verificationVectors(descriptors: readonly Float32Array[]): Promise<Float32Array[]> {
    return this.need(this.verificationHead, 'verification').run(descriptors);
  }

  /** Whether two descriptors show the same person. */
  async verify(a: Float32Array, b: Float32Array): Promise<VerifyResult> {
    const [va, vb] = await this.verificationVectors([a, b]);
    const distance = vectorDistance(va!, vb!);
    const threshold = this.threshold;
    return { same: distance < threshold, distance, threshold };
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
