import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InputNotFoundError, UnsupportedInputError } from '../errors.js';

/** File extensions (lower case, with dot) read as still images. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.bmp',
]);
/** File extensions (lower case, with dot) read as videos through ffmpeg. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.mp4',
  '.mov',
  '.m4v',
  '.mkv',
  '.webm',
  '.avi',
  '.mpg',
  '.mpeg',
  '.y4m',
]);

/** Media kinds a source file can have. */
export const MediaKind = { image: 'image', video: 'video' } as const;
export type MediaKind = (typeof MediaKind)[keyof typeof MediaKind];

/** One input file to extract from. */
export interface MediaSource {
  readonly path: string;
  readonly kind: MediaKind;
}

/** Classifies a path by extension; undefined when it is neither an image nor a video. */
export function mediaKindOf(path: string): MediaKind | undefined {
  const ext = extname(path).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext)) return MediaKind.image;
  if (VIDEO_EXTENSIONS.has(ext)) return MediaKind.video;
  return undefined;
}

// Code-point order, not locale order, so listings are identical on every machine.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function walk(dir: string, out: MediaSource[], visited: Set<string>): Promise<void> {
  // Datasets are often trees of links: follow them, but visit each real directory once (no loops).
  const real = await realpath(dir);
  if (visited.has(real)) return;
  visited.add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => byCodePoint(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (!target) continue; // a dangling link is not an input
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) {
      await walk(path, out, visited);
    } else if (isFile) {
      const kind = mediaKindOf(entry.name);
      if (kind) out.push({ path, kind });
    }
  }
}

/**
 * Expands an input path into media files: a file gives itself (it must have an image or video
 * extension); a directory is walked recursively, hidden entries skipped, files with other
 * extensions ignored, in code-point order of path components (deterministic).
 * @throws InputNotFoundError (SEMFACE_ERR_INPUT_NOT_FOUND), UnsupportedInputError (SEMFACE_ERR_UNSUPPORTED_INPUT)
 */
export async function listMediaSources(path: string): Promise<MediaSource[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputNotFoundError(path);
    throw err;
  }
  if (info.isDirectory()) {
    const out: MediaSource[] = [];
    await walk(path, out, new Set());
    return out;
  }
  const kind = mediaKindOf(path);
  if (!kind) throw new UnsupportedInputError(path, 'extension is neither a known image nor a video type');
  return [{ path, kind }];
}
