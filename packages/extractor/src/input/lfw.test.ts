import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDataRoot } from './data-root.js';
import { lfwImagePath, parseLfwPairs, parseLfwPeople, readLfwPairs, readLfwPeople } from './lfw.js';

describe('LFW list parsers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-lfw-'));
    // Two folds of 1 same + 1 different pair, tab separated like the official file.
    await writeFile(join(dir, 'pairs.txt'), '2\t1\nAnn\t1\t2\nAnn\t1\tBob\t3\nCy\t2\t4\nCy\t1\tDee_Ee\t1\n');
    await writeFile(join(dir, 'pairsDevTest.txt'), '1\nAnn\t1\t2\nAnn\t1\tBob\t3\n');
    await writeFile(join(dir, 'people.txt'), '2\n2\nAnn\t2\nBob\t3\n1\nCy\t4\n');
    await writeFile(join(dir, 'peopleDevTrain.txt'), '3\nAnn\t2\nBob\t3\nCy\t4\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads View 2 pairs with folds and same/different flags', async () => {
    const list = await readLfwPairs(dir);
    expect(list.folds).toBe(2);
    expect(list.pairsPerClassPerFold).toBe(1);
    expect(list.pairs).toEqual([
      { a: { name: 'Ann', index: 1 }, b: { name: 'Ann', index: 2 }, same: true, fold: 0 },
      { a: { name: 'Ann', index: 1 }, b: { name: 'Bob', index: 3 }, same: false, fold: 0 },
      { a: { name: 'Cy', index: 2 }, b: { name: 'Cy', index: 4 }, same: true, fold: 1 },
      { a: { name: 'Cy', index: 1 }, b: { name: 'Dee_Ee', index: 1 }, same: false, fold: 1 },
    ]);
  });

  it('reads View 1 pairs as one fold', async () => {
    const list = await readLfwPairs(dir, 'devTest');
    expect(list.folds).toBe(1);
    expect(list.pairs.map((p) => p.same)).toEqual([true, false]);
  });

  it('reads folded and flat people lists', async () => {
    expect(await readLfwPeople(dir)).toEqual([
      { name: 'Ann', imageCount: 2, fold: 0 },
      { name: 'Bob', imageCount: 3, fold: 0 },
      { name: 'Cy', imageCount: 4, fold: 1 },
    ]);
    expect((await readLfwPeople(dir, 'devTrain')).map((p) => p.fold)).toEqual([0, 0, 0]);
  });

  it('rejects malformed lists with SEMFACE_ERR_DATASET_FORMAT', () => {
    const bad = { code: 'SEMFACE_ERR_DATASET_FORMAT' };
    expect(() => parseLfwPairs('1\t1\nAnn\t1\t2\n')).toThrow(expect.objectContaining(bad));
    expect(() => parseLfwPairs('1\t1\nAnn\t1\tBob\t2\nAnn\t1\t2\n')).toThrow(expect.objectContaining(bad));
    expect(() => parseLfwPairs('1\t1\nAnn\t0\t2\nAnn\t1\tBob\t2\n')).toThrow(expect.objectContaining(bad));
    expect(() => parseLfwPeople('2\nAnn\t1\n')).toThrow(expect.objectContaining(bad));
    expect(() => parseLfwPeople('1\nAnn\t1\nextra\t1\n')).toThrow(expect.objectContaining(bad));
  });

  it('reports a missing list as SEMFACE_ERR_INPUT_NOT_FOUND', async () => {
    await expect(readLfwPairs(dir, 'devTrain')).rejects.toMatchObject({
      code: 'SEMFACE_ERR_INPUT_NOT_FOUND',
    });
  });

  it('maps a reference to the deep-funneled image path', () => {
    expect(lfwImagePath('/d/lfw', { name: 'Ann_Bee', index: 7 })).toBe(
      '/d/lfw/lfw-deepfunneled/Ann_Bee/Ann_Bee_0007.jpg',
    );
  });
});

const lfwRoot = join(resolveDataRoot(), 'lfw');
const hasLfw = existsSync(join(lfwRoot, 'pairs.txt'));
if (!hasLfw) process.stdout.write('skipped: no data root\n');

describe.skipIf(!hasLfw)('LFW lists in the data root', () => {
  it('has 10 folds x 600 pairs in View 2, all images present', async () => {
    const list = await readLfwPairs(lfwRoot);
    expect(list.folds).toBe(10);
    expect(list.pairs).toHaveLength(6000);
    for (let fold = 0; fold < 10; fold++) {
      const inFold = list.pairs.filter((p) => p.fold === fold);
      expect(inFold).toHaveLength(600);
      expect(inFold.filter((p) => p.same)).toHaveLength(300);
    }
    const first = list.pairs[0]!;
    expect(existsSync(lfwImagePath(lfwRoot, first.a))).toBe(true);
  });

  it('has 1100+1100 / 500+500 View 1 pairs and 5749 people', async () => {
    expect((await readLfwPairs(lfwRoot, 'devTrain')).pairs).toHaveLength(2200);
    expect((await readLfwPairs(lfwRoot, 'devTest')).pairs).toHaveLength(1000);
    expect(await readLfwPeople(lfwRoot, 'devTrain')).toHaveLength(4038);
    expect(await readLfwPeople(lfwRoot, 'devTest')).toHaveLength(1711);
    const view2 = await readLfwPeople(lfwRoot);
    expect(new Set(view2.map((p) => p.fold)).size).toBe(10);
  });
});
