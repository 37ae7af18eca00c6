import { describe, expect, it } from 'vitest';
import { DemoStatsBoard, NO_HEADS_TEXT } from './demo-stats.js';
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

describe('DemoStatsBoard receiver heads', () => {
  it('shows n/a (no head models) without heads', () => {
    const b = new DemoStatsBoard();
    b.headsLoaded(false, 'no heads manifest');
    const s = b.snapshot();
    expect(s.expression).toBe(NO_HEADS_TEXT);
    expect(s.verification).toBe(NO_HEADS_TEXT);
    expect(s.heads).toMatchObject({ loaded: false, reason: 'no heads manifest', frames: 0 });
  });

  it('shows the last results and counts labels and verifications', () => {
    const b = new DemoStatsBoard();
    b.headsLoaded(true);
    b.understood({ seq: 0, participantId: 'p', expression: { label: 'happy', probability: 0.8 } });
    b.understood({
      seq: 1,
      participantId: 'p',
      expression: { label: 'sad', probability: 0.5 },
      verification: { same: true, distance: 0.2, threshold: 0.6 },
    });
    b.understood({
      seq: 2,
      participantId: 'p',
      expression: { label: 'happy', probability: 0.7 },
      verification: { same: false, distance: 0.9, threshold: 0.6 },
    });
    const s = b.snapshot();
    expect(s.expression).toBe('happy (0.70)');
    expect(s.verification).toBe('different person, distance 0.900, threshold 0.600 (vs first face)');
    expect(s.heads.expressionCounts).toEqual({ happy: 2, sad: 1 });
    expect(s.heads.verify).toMatchObject({ comparisons: 2, same: 1, different: 1, maxDistance: 0.9 });
    expect(s.heads.verify.meanDistance).toBeCloseTo(0.55, 9);
  });
});
