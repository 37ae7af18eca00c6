import { resolve } from 'node:path';

/**
 * The real-data root: `explicit` if given, else env `SEMFACE_DATA_ROOT`, else `../shared/data`
 * relative to `repoRoot` (default: the current working directory).
 */
export function resolveDataRoot(explicit?: string, repoRoot: string = process.cwd()): string {
  if (explicit) return resolve(explicit);
  const fromEnv = process.env.SEMFACE_DATA_ROOT;
  if (fromEnv) return resolve(fromEnv);
  return resolve(repoRoot, '..', 'shared', 'data');
}
