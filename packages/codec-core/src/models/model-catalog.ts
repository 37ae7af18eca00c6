import type { InferenceSession } from 'onnxruntime-node';
import type { ProfileName } from '../descriptor/layout.js';
import { type CdfTable, cdfTableFromJson } from '../entropy/cdf-table.js';
import { InvalidModelError, UnknownModelIdError } from '../errors.js';
import { type ModelManifestEntry, parseManifest } from './manifest.js';
import { type ModelSource, ModelRuntime, type OnnxRuntime, type OnnxRuntimeLoader } from './model-runtime.js';
import { webCryptoSha256 } from './sha256.js';

/** The two ONNX sessions of one model, created once and reused. */
export interface ModelSessions {
  readonly analysis: InferenceSession;
  readonly synthesis: InferenceSession;
}

/** What {@link ModelCatalog.read} returns: the validated manifest entries and their CDF tables. */
export interface CatalogContents {
  readonly models: readonly ModelManifestEntry[];
  readonly cdfs: ReadonlyMap<string, CdfTable>;
}

/**
 * The models of one manifest: entries, CDF tables (loaded eagerly, they are small) and ONNX sessions
 * (created on first use, once per model). File hashes are checked against the manifest and the id.
 * Free of Node APIs: files come from a {@link ModelSource}, sessions from an {@link OnnxRuntime}, so
 * it runs in browsers (`fetchModelSource` + onnxruntime-web) as well as in Node (`ModelStore`).
 */
export class ModelCatalog {
  private readonly sessions = new Map<string, Promise<ModelSessions>>();

  protected constructor(
    /** Models folder or URL. */
    readonly dir: string,
    readonly models: readonly ModelManifestEntry[],
    private readonly cdfs: ReadonlyMap<string, CdfTable>,
    /** Where the files come from and what creates the sessions. */
    readonly files: ModelRuntime,
  ) {}

  /** Reads and validates the manifest and every model's cdf.json from `source`. */
  static async load(source: ModelSource, runtime: OnnxRuntimeLoader): Promise<ModelCatalog> {
    const files = new ModelRuntime(source, runtime);
    const c = await ModelCatalog.read(files);
    return new ModelCatalog(source.location, c.models, c.cdfs, files);
  }

  /** Reads and validates `manifest.json` and every model's cdf.json. */
  protected static async read(files: ModelRuntime): Promise<CatalogContents> {
    const text = new TextDecoder().decode(await files.read('manifest.json'));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new InvalidModelError(`cannot read ${files.source.describe('manifest.json')}: ${(err as Error).message}`);
    }
    const manifest = parseManifest(json);
    const cdfs = new Map<string, CdfTable>();
    for (const m of manifest.models) {
      const bytes = await files.read(modelFile(m, 'cdf'), m.sha256.cdf);
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
    return { models: manifest.models, cdfs };
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

  /** The ONNX runtime sessions are created with (loaded on first call). */
  runtime(): Promise<OnnxRuntime> {
    return this.files.runtime();
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
    const keys = ['analysis', 'synthesis', 'cdf'] as const;
    const [a, s, c] = await Promise.all(keys.map((k) => this.files.read(modelFile(m, k), m.sha256[k])));
    if ((await webCryptoSha256(a!, s!, c!)).slice(0, 12) !== m.id) {
      throw new InvalidModelError(`model ${m.id}: id does not match sha256(analysis + synthesis + cdf)`);
    }
    const [analysis, synthesis] = await Promise.all([
      this.files.create(a!, modelFile(m, 'analysis')),
      this.files.create(s!, modelFile(m, 'synthesis')),
    ]);
    return { analysis, synthesis };
  }
}

const modelFile = (m: ModelManifestEntry, key: keyof ModelManifestEntry['files']) => `${m.id}/${m.files[key]}`;
