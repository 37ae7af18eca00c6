import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SidecarModel } from '../output/sidecar.js';

/** SHA-256 (hex) of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One record per file of `dir` (sorted, dot files skipped), all with `role`. */
export async function directoryRecords(dir: string, role: string): Promise<SidecarModel[]> {
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  return Promise.all(files.map(async (f) => ({ role, id: f, sha256: await sha256File(join(dir, f)) })));
}
