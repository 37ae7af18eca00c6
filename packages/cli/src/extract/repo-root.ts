import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder at or above `from` holding `pnpm-workspace.yaml`, else `from` itself. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

/** Default folder for descriptor caches: `artifacts/cache/` under the repo root (git-ignored). */
export function defaultCacheDir(repoRoot: string = findRepoRoot()): string {
  return join(repoRoot, 'artifacts', 'cache');
}
