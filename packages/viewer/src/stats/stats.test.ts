import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './latency-recorder.js';
import { RateMeter } from './rate-meter.js';

describe('RateMeter', () => {
  it('reports bits per second over its window', () => {
    const r = new RateMeter(1000);
    for (let t = 0; t <= 1000; t += 100) r.add(100, t);
    // 10 intervals of 100 bytes over 1000 ms = 8000 bit/s.
    expect(r.bitsPerSecond(1000)).toBeCloseTo(8000, 6);
    expect(r.bitsPerSecond(5000)).toBe(0);
  });
});

describe('LatencyRecorder', () => {
  it('gives median and p99 and ignores invalid samples', () => {
    const l = new LatencyRecorder();
    for (let i = 1; i <= 100; i++) l.add(i);
    l.add(Number.NaN);
    l.add(-1);
    const s = l.summary();
    expect(s.count).toBe(100);
    expect(s.medianMs).toBe(50);
    expect(s.p99Ms).toBe(99);
    expect(new LatencyRecorder().summary().medianMs).toBeNull();
  });
});
