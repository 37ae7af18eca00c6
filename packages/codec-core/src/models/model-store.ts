import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidModelError } from '../errors.js';
import { ModelCatalog } from './model-catalog.js';
import { type ModelSource, ModelRuntime, type OnnxRuntime } from './model-runtime.js';

/** Folder holding manifest.json and one `<id>/` folder per model, shipped with the package. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

let ortPromise: Promise<OnnxRuntime> | undefined;
/** onnxruntime-node, loaded on first call (once per process) so that users without inference never load it. */
export function loadOnnxNode(): Promise<OnnxRuntime> {
  ortPromise ??= import('onnxruntime-node');
  return ortPromise;
}

/** Reads model files from a folder on disk (a path or a `file:` URL). */
export function fileModelSource(folder: string | URL): ModelSource {
  const dir = typeof folder === 'string' ? folder : fileURLToPath(folder);
  return { location: dir, describe: (rel) => join(dir, rel), read: (rel) => readFile(join(dir, rel)) };
}

/** A {@link ModelCatalog} read from a folder on disk, running onnxruntime-node (Node only). */
export class ModelStore extends ModelCatalog {
  /** Reads and validates `<dir>/manifest.json` and every model's cdf.json. */
  static async open(dir: string = DEFAULT_MODELS_DIR): Promise<ModelStore> {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new InvalidModelError(`no model manifest at ${manifestPath}`);
    const files = new ModelRuntime(fileModelSource(dir), loadOnnxNode);
    const c = await ModelCatalog.read(files);
    return new ModelStore(dir, c.models, c.cdfs, files);
  }
}
