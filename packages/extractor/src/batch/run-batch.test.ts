import { describe, expect, it } from 'vitest';
import { ImageUnreadableError, InputNotFoundError, VideoTruncatedError } from '../errors.js';
import { runBatch } from './run-batch.js';

describe('runBatch', () => {
  it('records coded failures and goes on', async () => {
    const seen: string[] = [];
    const progress: number[] = [];
    const { results, failures, summary } = await runBatch(
      ['a', 'bad', 'b', 'cut', 'gone', 'c'],
      async (item) => {
        if (item === 'bad') throw new ImageUnreadableError(item);
        if (item === 'cut') throw new VideoTruncatedError(item, 3, 10);
        if (item === 'gone') throw new InputNotFoundError(item);
        return item.toUpperCase();
      },
      { onError: (f) => seen.push(f.code), onProgress: (done) => progress.push(done) },
    );
    expect(results.map((r) => r.value)).toEqual(['A', 'B', 'C']);
    expect(failures.map((f) => [f.index, f.item])).toEqual([
      [1, 'bad'],
      [3, 'cut'],
      [4, 'gone'],
    ]);
    expect(seen).toEqual([
      'SEMFACE_ERR_IMAGE_UNREADABLE',
      'SEMFACE_ERR_VIDEO_TRUNCATED',
      'SEMFACE_ERR_INPUT_NOT_FOUND',
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(summary).toEqual({
      total: 6,
      succeeded: 3,
      failed: 3,
      failuresByCode: {
        SEMFACE_ERR_IMAGE_UNREADABLE: 1,
        SEMFACE_ERR_VIDEO_TRUNCATED: 1,
        SEMFACE_ERR_INPUT_NOT_FOUND: 1,
      },
    });
  });

  it('rethrows bugs and fatal codes', async () => {
    await expect(
      runBatch([1, 2], async (n) => {
        if (n === 2) throw new TypeError('bug');
        return n;
      }),
    ).rejects.toThrow(TypeError);
    const missing = Object.assign(new Error('no ffmpeg'), { code: 'SEMFACE_ERR_FFMPEG_MISSING' });
    await expect(
      runBatch([1], async () => {
        throw missing;
      }),
    ).rejects.toBe(missing);
  });

  it('keeps input order with concurrency and async iterables', async () => {
    async function* gen(): AsyncGenerator<number> {
      for (let i = 0; i < 8; i++) yield i;
    }
    const { results, summary } = await runBatch(
      gen(),
      async (n) => {
        await new Promise((r) => setTimeout(r, (8 - n) * 2));
        return n * n;
      },
      { concurrency: 3 },
    );
    expect(results.map((r) => r.value)).toEqual([0, 1, 4, 9, 16, 25, 36, 49]);
    expect(summary.total).toBe(8);
    await expect(runBatch([], async () => 0, { concurrency: 0 })).rejects.toThrow(RangeError);
  });
});
