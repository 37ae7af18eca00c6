import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Number of demo photos @vladmandic/face-api ships (demo/sample1.jpg .. sample6.jpg). */
export const DEMO_PHOTO_COUNT = 6;

/**
 * Paths of the demo photos shipped by the installed @vladmandic/face-api package: the default
 * demo input, so the demo runs with no data at all.
 */
export function demoPhotoPaths(): string[] {
  const root = dirname(require.resolve('@vladmandic/face-api/package.json'));
  const paths: string[] = [];
  for (let i = 1; i <= DEMO_PHOTO_COUNT; i++) {
    const p = join(root, 'demo', `sample${i}.jpg`);
    if (existsSync(p)) paths.push(p);
  }
  return paths;
}
