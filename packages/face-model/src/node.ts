import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FaceModelInvalidError, FaceModelNotFoundError } from './errors.js';
import { FaceModel } from './face-model.js';
import { FACE_MODEL_FILES, type FaceModelHeader } from './format.js';

/** SHA-256 of a blob, hex. */
export function sha256Hex(blob: Uint8Array): string {
  return createHash('sha256').update(blob).digest('hex');
}

/** {@link FaceModel.decode} with the blob's checksum checked against the header. */
export function decodeFaceModel(header: unknown, blob: Uint8Array): FaceModel {
  return FaceModel.decode(header, blob, sha256Hex(blob));
}

/** Serialises a model into its header (checksum included) and blob. */
export function encodeFaceModel(model: FaceModel): { header: FaceModelHeader; blob: Uint8Array } {
  const { header, blob } = model.encode();
  return { header: { ...header, blob: { bytes: blob.byteLength, sha256: sha256Hex(blob) } }, blob };
}

/** Reads `face-model.json` + `face-model.bin` from a directory, checksum checked. */
export async function loadFaceModel(dir: string): Promise<FaceModel> {
  const headerPath = join(dir, FACE_MODEL_FILES.header);
  let headerText: string;
  let blob: Uint8Array;
  try {
    headerText = await readFile(headerPath, 'utf8');
    blob = await readFile(join(dir, FACE_MODEL_FILES.blob));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new FaceModelNotFoundError(e.path ?? dir);
    throw err;
  }
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    throw new FaceModelInvalidError(`${headerPath} is not JSON`);
  }
  return decodeFaceModel(header, blob);
}
