import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type IdentityCodeModel, parseIdentityCodeModel } from './model.js';

/** The shipped identity-code model (packages/codec-core/models/identity-code/model.json). */
export const DEFAULT_IDENTITY_CODE_MODEL_PATH = fileURLToPath(
  new URL('../../models/identity-code/model.json', import.meta.url),
);

/** Reads and validates an identity-code model file (Node). @throws InvalidModelError */
export async function loadIdentityCodeModel(
  path: string = DEFAULT_IDENTITY_CODE_MODEL_PATH,
): Promise<IdentityCodeModel> {
  return parseIdentityCodeModel(JSON.parse(await readFile(path, 'utf8')));
}
