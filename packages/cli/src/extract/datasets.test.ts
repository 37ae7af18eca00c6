import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDataRoot } from '@semface/extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isExtractDataset, planDataset } from './datasets.js';
import { defaultCacheDir, findRepoRoot } from './repo-root.js';

describe('dataset plans', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'semface-datasets-'));
    const files = [
      'lfw/lfw-deepfunneled/Bob/Bob_0001.jpg',
      'lfw/lfw-deepfunneled/Ann/Ann_0002.jpg',
      'lfw/lfw-deepfunneled/Ann/Ann_0001.jpg',
      'fer2013/train/sad/Training_2.jpg',
      'fer2013/train/angry/Training_1.jpg',
      'fer2013/validation/happy/PublicTest_1.jpg',
      'videos/b.mp4',
      'videos/a.mp4',
      'videos/SOURCE.md',
    ];
    for (const f of files) {
      await mkdir(join(root, f, '..'), { recursive: true });
      await writeFile(join(root, f), '');
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists LFW by person with paths relative to the data root', async () => {
    const plan = await planDataset('lfw', root);
    expect(plan.classes).toEqual(['Ann', 'Bob']);
    expect(plan.items.map((i) => [i.source, i.label, i.classIndex, i.kind])).toEqual([
      ['lfw/lfw-deepfunneled/Ann/Ann_0001.jpg', 'Ann', 0, 'image'],
      ['lfw/lfw-deepfunneled/Ann/Ann_0002.jpg', 'Ann', 0, 'image'],
      ['lfw/lfw-deepfunneled/Bob/Bob_0001.jpg', 'Bob', 1, 'image'],
    ]);
  });

  it('lists FER2013 splits and videos', async () => {
    const train = await planDataset('fer2013-train', root);
    expect(train.dataset).toEqual({ name: 'fer2013', split: 'train' });
    expect(train.items.map((i) => i.label)).toEqual(['angry', 'sad']);
    expect((await planDataset('fer2013-validation', root)).items).toHaveLength(1);
    const videos = await planDataset('videos', root);
    expect(videos.items.map((i) => [i.source, i.kind])).toEqual([
      ['videos/a.mp4', 'video'],
      ['videos/b.mp4', 'video'],
    ]);
  });

  it('recognizes dataset names and finds the repo root', () => {
    expect(isExtractDataset('lfw')).toBe(true);
    expect(isExtractDataset('toString')).toBe(false);
    const repo = findRepoRoot();
    expect(existsSync(join(repo, 'pnpm-workspace.yaml'))).toBe(true);
    expect(defaultCacheDir(repo)).toBe(join(repo, 'artifacts', 'cache'));
  });
});

const dataRoot = resolveDataRoot(undefined, findRepoRoot());
const hasData = existsSync(join(dataRoot, 'lfw')) && existsSync(join(dataRoot, 'fer2013'));
if (!hasData) process.stdout.write('skipped: no data root\n');

describe.skipIf(!hasData)('dataset plans on the data root', () => {
  it('counts 13,233 LFW images of 5,749 people, 28,709 + 3,589 FER2013 images, 15 videos', async () => {
    const lfw = await planDataset('lfw', dataRoot);
    expect(lfw.items).toHaveLength(13_233);
    expect(lfw.classes).toHaveLength(5_749);
    expect((await planDataset('fer2013-train', dataRoot)).items).toHaveLength(28_709);
    expect((await planDataset('fer2013-validation', dataRoot)).items).toHaveLength(3_589);
    expect((await planDataset('videos', dataRoot)).items).toHaveLength(15);
  });
});
