import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidModelError } from '../errors.js';
import { ModelCatalog } from './model-catalog.js';
import type { ModelSource } from './model-source.js';
import type { OnnxRuntime } from './onnx-runtime.js';

export type { ModelSessions } from './model-catalog.js';

/** Folder holding manifest.json and one `<id>/` folder per model, shipped with the package. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

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

/** Reads model files from a folder on disk; hashes with node:crypto. */
export function fileModelSource(dir: string): ModelSource {
  return {
    location: dir,
    describe: (rel) => join(dir, rel),
    read: (rel) => readFile(join(dir, rel)),
    async sha256(...parts) {
      const h = createHash('sha256');
      for (const p of parts) h.update(p);
      return h.digest('hex');
    },
  };
}

/** A {@link ModelCatalog} read from a folder on disk, running onnxruntime-node (Node only). */
export class ModelStore extends ModelCatalog {
  /** Reads and validates `<dir>/manifest.json` and every model's cdf.json. */
  static async open(dir: string = DEFAULT_MODELS_DIR): Promise<ModelStore> {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new InvalidModelError(`no model manifest at ${manifestPath}`);
    const source = fileModelSource(dir);
    const c = await ModelCatalog.read(source);
    return new ModelStore(dir, c.models, c.cdfs, source, loadOrt as () => Promise<OnnxRuntime>);
  }
}
