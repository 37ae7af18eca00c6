import { describe, expect, it } from 'vitest';
import { AbortedError, TimeoutError } from '../errors.js';
import { abortable, sleep } from './abortable.js';

describe('abortable', () => {
  it('settles with the value and runs the cleanup once', async () => {
    let cleanups = 0;
    const v = await abortable<number>(
      (resolve) => {
        setTimeout(() => resolve(7), 1);
        return () => cleanups++;
      },
      { what: 'x' },
    );
    expect(v).toBe(7);
    expect(cleanups).toBe(1);
  });

  it('handles a synchronous settle', async () => {
    let cleanups = 0;
    await expect(
      abortable<number>(
        (resolve) => {
          resolve(1);
          return () => cleanups++;
        },
        { what: 'x' },
      ),
    ).resolves.toBe(1);
    expect(cleanups).toBe(1);
  });

  it('rejects with AbortedError on abort (also when already aborted) and cleans up', async () => {
    const ctl = new AbortController();
    let cleanups = 0;
    const p = abortable<void>(() => () => cleanups++, { signal: ctl.signal, what: 'wait' });
    ctl.abort();
    await expect(p).rejects.toThrow(AbortedError);
    expect(cleanups).toBe(1);
    await expect(abortable<void>(() => undefined, { signal: ctl.signal, what: 'w' })).rejects.toThrow(
      AbortedError,
    );
  });

  it('rejects with TimeoutError after timeoutMs', async () => {
    await expect(abortable<void>(() => undefined, { timeoutMs: 5, what: 'slow' })).rejects.toThrow(
      TimeoutError,
    );
  });

  it('sleep is cancellable', async () => {
    const ctl = new AbortController();
    const p = sleep(10_000, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toThrow(AbortedError);
  });
});
