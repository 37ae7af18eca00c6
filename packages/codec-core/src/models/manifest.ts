import { isModelId } from '../bitstream/model-id.js';
import { PROFILE_NAMES, type ProfileName, profileLength } from '../descriptor/layout.js';
import { InvalidModelError } from '../errors.js';

/** File names of one model, relative to its `<id>/` folder. */
export interface ModelFiles {
  readonly analysis: string;
  readonly synthesis: string;
  readonly cdf: string;
}

/** One model of manifest.json (written by training/codec). */
export interface ModelManifestEntry {
  /** First 12 hex digits of sha256(analysis bytes + synthesis bytes + cdf bytes). */
  readonly id: string;
  readonly profile: ProfileName;
  readonly rateIndex: number;
  /** Rate weight the model was trained with. */
  readonly lambdaR: number;
  readonly latentDim: number;
  readonly files: ModelFiles;
  /** Hex SHA-256 of each file, keyed like {@link files}. */
  readonly sha256: Readonly<Record<string, string>>;
  readonly training: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** Parsed manifest.json. */
export interface ModelManifest {
  readonly models: readonly ModelManifestEntry[];
}

const SAFE_FILE = /^[A-Za-z0-9._-]+$/;

function fail(msg: string): never {
  throw new InvalidModelError(`manifest.json: ${msg}`);
}

/** Validates a parsed manifest.json; throws {@link InvalidModelError} on any violation. */
export function parseManifest(json: unknown): ModelManifest {
  const models = (json as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) fail('"models" must be an array');
  const seen = new Set<string>();
  const out = models.map((m: Partial<ModelManifestEntry>, i): ModelManifestEntry => {
    if (typeof m !== 'object' || m === null) fail(`models[${i}] is not an object`);
    if (typeof m.id !== 'string' || !isModelId(m.id)) fail(`models[${i}].id must be 12 lower-case hex digits`);
    if (seen.has(m.id)) fail(`duplicate model id ${m.id}`);
    seen.add(m.id);
    if (!PROFILE_NAMES.includes(m.profile as ProfileName)) fail(`models[${i}].profile is unknown`);
    if (!Number.isInteger(m.rateIndex) || (m.rateIndex as number) < 0 || (m.rateIndex as number) > 255) {
      fail(`models[${i}].rateIndex must be an integer in 0..255`);
    }
    if (!Number.isInteger(m.latentDim) || (m.latentDim as number) < 1 || (m.latentDim as number) > 4096) {
      fail(`models[${i}].latentDim must be an integer in 1..4096`);
    }
    const inputDim = (m as { inputDim?: unknown }).inputDim;
    if (inputDim !== undefined && inputDim !== profileLength(m.profile as ProfileName)) {
      fail(`models[${i}].inputDim ${String(inputDim)} does not match profile '${m.profile}'`);
    }
    const f = m.files as Partial<ModelFiles> | undefined;
    for (const k of ['analysis', 'synthesis', 'cdf'] as const) {
      const name = f?.[k];
      if (typeof name !== 'string' || !SAFE_FILE.test(name)) fail(`models[${i}].files.${k} must be a plain file name`);
    }
    return {
      id: m.id,
      profile: m.profile as ProfileName,
      rateIndex: m.rateIndex as number,
      lambdaR: typeof m.lambdaR === 'number' ? m.lambdaR : 0,
      latentDim: m.latentDim as number,
      files: f as ModelFiles,
      sha256: (m.sha256 ?? {}) as Record<string, string>,
      training: (m.training ?? {}) as Record<string, unknown>,
      metrics: (m.metrics ?? {}) as Record<string, unknown>,
    };
  });
  return { models: out };
}
