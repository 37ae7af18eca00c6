import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CoderName,
  DESCRIPTOR_LENGTH,
  type ModelManifestEntry,
  type ProfileName,
  SemfaceCodec,
  profileLength,
} from '@semface/codec-core';
import { DEFAULT_HEADS_DIR, ReceiverHeads } from '@semface/sdk';
import { codeDescriptors } from '../codec/descriptor-coding.js';

/** Descriptors of the evaluation images after one trip through the codec (or none). */
export interface DescriptorVariant {
  readonly curve: string;
  readonly decoded: readonly Float32Array[];
  readonly bitsPerFace: number;
  readonly overheadBitsPerFace?: number;
  readonly profile?: ProfileName;
  readonly rateIndex?: number;
  readonly coder?: CoderName;
  readonly retrained?: boolean;
  readonly modelId?: string;
  readonly ceiling: boolean;
}

/** Loads the codec, or undefined when there is no model manifest (reported as a note). */
export async function loadCodec(dir: string | null | undefined): Promise<SemfaceCodec | undefined> {
  if (dir === null) return undefined;
  try {
    return await SemfaceCodec.load(dir === undefined ? {} : { modelsDir: dir });
  } catch {
    return undefined;
  }
}

/** Loads receiver heads (optionally one verification fold model), or undefined if none are shipped. */
export async function loadHeads(dir: string | undefined, fold?: number): Promise<ReceiverHeads | undefined> {
  const d = dir ?? DEFAULT_HEADS_DIR;
  if (!existsSync(join(d, 'manifest.json'))) return undefined;
  try {
    return await ReceiverHeads.load({
      modelsDir: d,
      ...(fold !== undefined ? { verificationFold: fold } : {}),
    });
  } catch {
    return undefined;
  }
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/**
 * Every way the task's descriptors reach the receiver: uncoded (ceiling), the task profile's own
 * models (retrained), the full models on full descriptors, and the full models carrying only the task
 * profile's fields (no retraining: encode option `modelProfile`); each rate point and coder.
 */
export async function* descriptorVariants(
  codec: SemfaceCodec | undefined,
  descriptors: readonly Float32Array[],
  taskProfile: ProfileName,
  coders: readonly CoderName[],
): AsyncGenerator<DescriptorVariant> {
  yield {
    curve: 'ceiling descriptors',
    decoded: descriptors,
    bitsPerFace: 32 * profileLength(taskProfile),
    ceiling: true,
  };
  if (!codec) return;
  const models = [...codec.store.models].sort((a, b) => a.rateIndex - b.rateIndex);
  const runs: { m: ModelManifestEntry; carried: ProfileName; retrained: boolean; name: string }[] = [];
  for (const m of models) {
    if (m.profile === taskProfile)
      runs.push({ m, carried: taskProfile, retrained: true, name: `${taskProfile} profile` });
  }
  for (const m of models) {
    if (m.profile !== 'full') continue;
    runs.push({ m, carried: 'full', retrained: false, name: 'full profile' });
    if (profileLength(taskProfile) < DESCRIPTOR_LENGTH) {
      runs.push({
        m,
        carried: taskProfile,
        retrained: false,
        name: `full model, ${taskProfile} fields only, no retraining`,
      });
    }
  }
  for (const r of runs) {
    for (const coder of coders) {
      const coded = await codeDescriptors(codec, descriptors, r.m, coder, r.carried);
      yield {
        curve: `semface ${r.name} ${coder}`,
        decoded: coded.decoded,
        bitsPerFace: mean(coded.bits),
        overheadBitsPerFace: coded.overheadBits,
        profile: r.m.profile,
        rateIndex: r.m.rateIndex,
        coder,
        retrained: r.retrained,
        modelId: r.m.id,
        ceiling: false,
      };
    }
  }
}
