import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FER2013_CLASSES, listClassFolderDataset, listFer2013 } from './class-folder.js';
import { resolveDataRoot } from './data-root.js';

describe('listClassFolderDataset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-classes-'));
    for (const [cls, files] of Object.entries({ sad: ['b.png', 'a.png', 'readme.txt'], happy: ['z.jpg'] })) {
      await mkdir(join(dir, 'train', cls), { recursive: true });
      for (const f of files) await writeFile(join(dir, 'train', cls, f), '');
    }
    await mkdir(join(dir, 'empty'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists classes sorted with per-item labels and indices', async () => {
    const ds = await listFer2013(dir, 'train');
    expect(ds.classes).toEqual(['happy', 'sad']);
    expect(ds.items.map((i) => [i.path.slice(dir.length + 1), i.label, i.classIndex])).toEqual([
      ['train/happy/z.jpg', 'happy', 0],
      ['train/sad/a.png', 'sad', 1],
      ['train/sad/b.png', 'sad', 1],
    ]);
  });

  it('reports a missing root and a root without classes', async () => {
    await expect(listClassFolderDataset(join(dir, 'nope'))).rejects.toMatchObject({
      code: 'SEMFACE_ERR_INPUT_NOT_FOUND',
    });
    await expect(listClassFolderDataset(join(dir, 'empty'))).rejects.toMatchObject({
      code: 'SEMFACE_ERR_DATASET_FORMAT',
    });
  });
});

const ferRoot = join(resolveDataRoot(), 'fer2013');
const hasFer = existsSync(join(ferRoot, 'train'));
if (!hasFer) process.stdout.write('skipped: no data root\n');

describe.skipIf(!hasFer)('FER2013 in the data root', () => {
  it('has 28,709 train and 3,589 validation images in 7 classes', async () => {
    const train = await listFer2013(ferRoot, 'train');
    const validation = await listFer2013(ferRoot, 'validation');
    expect(train.classes).toEqual([...FER2013_CLASSES]);
    expect(validation.classes).toEqual([...FER2013_CLASSES]);
    expect(train.items).toHaveLength(28_709);
    expect(validation.items).toHaveLength(3_589);
    expect(train.items.filter((i) => i.label === 'disgust')).toHaveLength(436);
  });
});
