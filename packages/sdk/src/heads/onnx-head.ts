import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DESCRIPTOR_LENGTH, profileIndices } from '@semface/codec-core';
import type { InferenceSession } from 'onnxruntime-node';
import { InvalidDescriptorError, SdkErrorCode, SemfaceSdkError } from '../errors.js';
import { headInputBatch, splitHeadOutput } from './head-tensor.js';
import type { HeadManifestEntry } from './heads-manifest.js';

type Ort = typeof import('onnxruntime-node');
let ortPromise: Promise<Ort> | undefined;
// Loaded on first use so SDK users that never run a head do not pay for the native module.
function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node');
  return ortPromise;
}

/** One head network: descriptor fields of its profile in, a vector out. Session created once. */
export class OnnxHead {
  private readonly indices: Uint16Array;

  private constructor(
    readonly entry: HeadManifestEntry,
    private readonly session: InferenceSession,
  ) {
    this.indices = profileIndices(entry.profile);
    if (this.indices.length !== entry.inputDim) {
      throw new SemfaceSdkError(
        SdkErrorCode.codecUnavailable,
        `head ${entry.file}: profile ${entry.profile} has ${this.indices.length} values, model expects ${entry.inputDim}`,
      );
    }
  }

  /** Loads and hash-checks `<dir>/<entry.file>` and creates its session. */
  static async load(dir: string, entry: HeadManifestEntry): Promise<OnnxHead> {
    const path = join(dir, entry.file);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new SemfaceSdkError(SdkErrorCode.codecUnavailable, `head model ${path} is missing`, {
        cause: err,
      });
    }
    if (entry.sha256 && createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
      throw new SemfaceSdkError(
        SdkErrorCode.codecUnavailable,
        `head model ${path} does not match its sha256`,
      );
    }
    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new OnnxHead(entry, session);
  }

  /** Runs the head on 257-D descriptors; returns one output vector per descriptor. */
  async run(descriptors: readonly Float32Array[]): Promise<Float32Array[]> {
    const n = descriptors.length;
    if (n === 0) return [];
    const d = this.entry.inputDim;
    const x = headInputBatch(descriptors, this.indices);
    const ort = await loadOrt();
    const input = new ort.Tensor('float32', x, [n, d]);
    const out = await this.session.run({ [this.session.inputNames[0]!]: input });
    const y = out[this.session.outputNames[0]!]!.data as Float32Array;
    return splitHeadOutput(y, n, this.entry.outputDim);
  }

  /** Releases the session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}
