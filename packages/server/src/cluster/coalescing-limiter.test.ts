import { describe, expect, it } from 'vitest';
import { CoalescingLimiter } from './coalescing-limiter.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CoalescingLimiter', () => {
  it('runs at once, then coalesces requests inside the interval into one deferred run', async () => {
    const runs: Array<[string, boolean]> = [];
    const l = new CoalescingLimiter(100, (k, f) => runs.push([k, f]));
    expect(l.request('a', false, true)).toBe('ran');
    expect(l.request('a', false, true)).toBe('deferred');
    expect(l.request('a', true, true)).toBe('coalesced');
    expect(l.request('a', false, true)).toBe('coalesced');
    expect(l.request('b', false, true)).toBe('ran');
    expect(runs).toEqual([
      ['a', false],
      ['b', false],
    ]);
    await sleep(250);
    // One deferred run for the three requests, carrying the OR of their flags.
    expect(runs).toEqual([
      ['a', false],
      ['b', false],
      ['a', true],
    ]);
    l.close();
  });

  it('drops requests that may not wait, and cancel keeps the budget', async () => {
    const runs: string[] = [];
    const l = new CoalescingLimiter(100, (k) => runs.push(k));
    expect(l.request('a', false, false)).toBe('ran');
    expect(l.request('a', false, false)).toBe('dropped');
    expect(l.request('a', false, true)).toBe('deferred');
    l.cancel('a');
    await sleep(200);
    expect(runs).toEqual(['a']);
    l.prune();
    expect(l.request('a', false, false)).toBe('ran');
    l.close();
  });
});
