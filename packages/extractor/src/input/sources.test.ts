import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMediaSources, mediaKindOf } from './sources.js';

describe('listMediaSources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-sources-'));
    await mkdir(join(dir, 'b', 'deep'), { recursive: true });
    await mkdir(join(dir, 'a'));
    await mkdir(join(dir, '.hidden'));
    for (const f of [
      'b/deep/z.PNG',
      'b/x.mp4',
      'a/2.jpg',
      'a/10.jpg',
      'a/notes.txt',
      '.hidden/h.jpg',
      'top.webp',
    ]) {
      await writeFile(join(dir, f), '');
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('walks a directory recursively in code-point order, by extension', async () => {
    const list = await listMediaSources(dir);
    expect(list.map((s) => s.path.slice(dir.length + 1))).toEqual([
      'a/10.jpg',
      'a/2.jpg',
      'b/deep/z.PNG',
      'b/x.mp4',
      'top.webp',
    ]);
    expect(list.map((s) => s.kind)).toEqual(['image', 'image', 'image', 'video', 'image']);
  });

  it('follows symlinked images and folders (datasets are often trees of links), each real folder once', async () => {
    const links = await mkdtemp(join(tmpdir(), 'semface-links-'));
    try {
      await symlink(join(dir, 'a', '2.jpg'), join(links, 'linked.jpg'));
      await symlink(join(dir, 'b'), join(links, 'bdir'));
      await symlink(links, join(links, 'loop'));
      await symlink(join(links, 'missing.jpg'), join(links, 'dangling.jpg'));
      const list = await listMediaSources(links);
      expect(list.map((s) => s.path.slice(links.length + 1))).toEqual([
        'bdir/deep/z.PNG',
        'bdir/x.mp4',
        'linked.jpg',
      ]);
    } finally {
      await rm(links, { recursive: true, force: true });
    }
  });

  it('returns a single file as itself and rejects unknown extensions', async () => {
    expect(await listMediaSources(join(dir, 'b/x.mp4'))).toEqual([
      { path: join(dir, 'b/x.mp4'), kind: 'video' },
    ]);
    await expect(listMediaSources(join(dir, 'a/notes.txt'))).rejects.toMatchObject({
      code: 'SEMFACE_ERR_UNSUPPORTED_INPUT',
    });
    await expect(listMediaSources(join(dir, 'missing'))).rejects.toMatchObject({
      code: 'SEMFACE_ERR_INPUT_NOT_FOUND',
    });
  });

  it('classifies by extension', () => {
    expect(mediaKindOf('x.JPEG')).toBe('image');
    expect(mediaKindOf('x.webm')).toBe('video');
    expect(mediaKindOf('x.npy')).toBeUndefined();
  });
});
