import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import type { ProfileName } from '../descriptor/layout.js';
import { type CdfTable, cdfTableFromJson } from '../entropy/cdf-table.js';
import { InvalidModelError, UnknownModelIdError } from '../errors.js';
import { type ModelManifestEntry, parseManifest } from './manifest.js';

/** Folder holding manifest.json and one `<id>/` folder per model, shipped with the package. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** The two ONNX sessions of one model, created once and reused. */
export interface ModelSessions {
  readonly analysis: InferenceSession;
  readonly synthesis: InferenceSession;
}

type Ort = typeof import('onnxruntime-node');
let ortPromise: Promise<Ort> | undefined;
// onnxruntime is loaded on first inference so latent-level users never pay for the native module.
function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node');
  return ortPromise;
}

/** Loads onnxruntime-node (once per process). */
export function onnxRuntime(): Promise<Ort> {
  return loadOrt();
}

function sha256(...parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/**
 * The models of one manifest: entries, CDF tables (loaded eagerly, they are small) and ONNX sessions
 * (created on first use, once per model). File hashes are checked against the manifest and the id.
 */
export class ModelStore {
  private readonly sessions = new Map<string, Promise<ModelSessions>>();

  private constructor(
    readonly dir: string,
    readonly models: readonly ModelManifestEntry[],
    private readonly cdfs: ReadonlyMap<string, CdfTable>,
  ) {}

  /** Reads and validates `<dir>/manifest.json` and every model's cdf.json. */
  static async open(dir: string = DEFAULT_MODELS_DIR): Promise<ModelStore> {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new InvalidModelError(`no model manifest at ${manifestPath}`);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(manifestPath, 'utf8'));
    } catch (err) {
      throw new InvalidModelError(`cannot read ${manifestPath}: ${(err as Error).message}`);
    }
    const manifest = parseManifest(json);
    const cdfs = new Map<string, CdfTable>();
    for (const m of manifest.models) {
      const bytes = await readModelFile(dir, m, 'cdf');
      let table: CdfTable;
      try {
        table = cdfTableFromJson(JSON.parse(new TextDecoder().decode(bytes)));
      } catch (err) {
        if (err instanceof InvalidModelError) throw err;
        throw new InvalidModelError(`model ${m.id}: cdf.json is not valid JSON`);
      }
      if (table.channels !== m.latentDim) {
        throw new InvalidModelError(`model ${m.id}: cdf has ${table.channels} channels, latentDim ${m.latentDim}`);
      }
      cdfs.set(m.id, table);
    }
    return new ModelStore(dir, manifest.models, cdfs);
  }

  /** The manifest entry with this id, or {@link UnknownModelIdError}. */
  byId(id: string): ModelManifestEntry {
    const m = this.models.find((e) => e.id === id);
    if (!m) throw new UnknownModelIdError(`model ${id} is not in the manifest at ${this.dir}`);
    return m;
  }

  /** The model for a profile and rate index; RangeError when the manifest has none. */
  find(profile: ProfileName, rateIndex: number): ModelManifestEntry {
    const m = this.models.find((e) => e.profile === profile && e.rateIndex === rateIndex);
    if (!m) {
      const have = this.models.filter((e) => e.profile === profile).map((e) => e.rateIndex);
      throw new RangeError(`no model for profile '${profile}' rate ${rateIndex} (available: ${have.join(', ') || 'none'})`);
    }
    return m;
  }

  /** CDF table of a model id (synchronous; a valid {@link CdfResolver}). */
  cdf(id: string): CdfTable {
    const t = this.cdfs.get(id);
    if (!t) throw new UnknownModelIdError(`model ${id} is not in the manifest at ${this.dir}`);
    return t;
  }

  /** ONNX sessions of a model, created on first call and shared afterwards. */
  sessionsFor(id: string): Promise<ModelSessions> {
    let s = this.sessions.get(id);
    if (!s) {
      s = this.createSessions(this.byId(id));
      this.sessions.set(id, s);
      s.catch(() => this.sessions.delete(id));
    }
    return s;
  }

  private async createSessions(m: ModelManifestEntry): Promise<ModelSessions> {
    const [a, s, c] = await Promise.all([
      readModelFile(this.dir, m, 'analysis'),
      readModelFile(this.dir, m, 'synthesis'),
      readModelFile(this.dir, m, 'cdf'),
    ]);
    if (sha256(a, s, c).slice(0, 12) !== m.id) {
      throw new InvalidModelError(`model ${m.id}: id does not match sha256(analysis + synthesis + cdf)`);
    }
    const ort = await loadOrt();
    const opts: InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
    try {
      const [analysis, synthesis] = await Promise.all([
        ort.InferenceSession.create(a, opts),
        ort.InferenceSession.create(s, opts),
      ]);
      return { analysis, synthesis };
    } catch (err) {
      throw new InvalidModelError(`model ${m.id}: ONNX load failed: ${(err as Error).message}`);
    }
  }
}

async function readModelFile(dir: string, m: ModelManifestEntry, key: keyof ModelManifestEntry['files']) {
  const path = join(dir, m.id, m.files[key]);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new InvalidModelError(`model ${m.id}: cannot read ${path}`);
  }
  const want = m.sha256[key];
  if (want !== undefined && sha256(bytes) !== want) {
    throw new InvalidModelError(`model ${m.id}: ${m.files[key]} does not match its sha256 in the manifest`);
  }
  return bytes;
}
