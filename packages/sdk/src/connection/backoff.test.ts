import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT_OPTIONS, backoffDelay, resolveReconnectOptions } from './backoff.js';

const opts = resolveReconnectOptions({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, maxRetries: 5 });

describe('backoffDelay', () => {
  it('grows exponentially and caps at maxDelayMs (jitter at its top)', () => {
    const top = () => 0.999999;
    const delays = [0, 1, 2, 3, 4, 5, 10].map((a) => Math.round(backoffDelay(a, opts, top)));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('jitters within [d/2, d]', () => {
    expect(backoffDelay(2, opts, () => 0)).toBe(200);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(300);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, opts);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('with factor 1 keeps the initial delay', () => {
    const flat = resolveReconnectOptions({ initialDelayMs: 50, maxDelayMs: 50, factor: 1 });
    expect(backoffDelay(7, flat, () => 0.999999)).toBeCloseTo(50, 3);
  });

  it('rejects negative or fractional attempts', () => {
    expect(() => backoffDelay(-1, opts)).toThrow(RangeError);
    expect(() => backoffDelay(1.5, opts)).toThrow(RangeError);
  });
});

describe('resolveReconnectOptions', () => {
  it('fills defaults and freezes', () => {
    const o = resolveReconnectOptions({ maxRetries: 3 });
    expect(o).toEqual({ ...DEFAULT_RECONNECT_OPTIONS, maxRetries: 3 });
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('accepts Infinity retries', () => {
    expect(resolveReconnectOptions({ maxRetries: Infinity }).maxRetries).toBe(Infinity);
  });

  it('throws TypeError for wrong types and unknown keys, RangeError for bad values', () => {
    expect(() => resolveReconnectOptions({ factor: '2' as unknown as number })).toThrow(TypeError);
    expect(() => resolveReconnectOptions({ retries: 2 } as never)).toThrow(TypeError);
    expect(() => resolveReconnectOptions({ factor: 0.5 })).toThrow(RangeError);
    expect(() => resolveReconnectOptions({ initialDelayMs: -1 })).toThrow(RangeError);
    expect(() => resolveReconnectOptions({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(RangeError);
    expect(() => resolveReconnectOptions({ maxRetries: 0 })).toThrow(RangeError);
    expect(() => resolveReconnectOptions({ maxRetries: 2.5 })).toThrow(RangeError);
  });
});
