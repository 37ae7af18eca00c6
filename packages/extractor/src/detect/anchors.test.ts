import { describe, expect, it } from 'vitest';
import { blazeFaceAnchors } from './anchors.js';
import { iou, nonMaxSuppression } from './nms.js';

describe('blazeFaceAnchors', () => {
  it('lays out 896 anchors: 16x16x2 then 8x8x6, centred in cells', () => {
    const a = blazeFaceAnchors(256);
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1], a[2], a[3]]).toEqual([8, 8, 8, 8]);
    expect([a[4], a[5]]).toEqual([24, 8]);
    expect([a[512 * 2], a[512 * 2 + 1]]).toEqual([16, 16]);
    expect([a[895 * 2], a[895 * 2 + 1]]).toEqual([240, 240]);
  });
});

describe('nonMaxSuppression', () => {
  const box = (x: number, score: number) => ({ x1: x, y1: 0, x2: x + 10, y2: 10, score });
  it('keeps the best of overlapping boxes and separate boxes', () => {
    const kept = nonMaxSuppression([box(0, 0.6), box(1, 0.9), box(50, 0.7)], 0.3, 10);
    expect(kept.map((b) => b.score)).toEqual([0.9, 0.7]);
  });
  it('honours maxKeep and computes IoU', () => {
    expect(nonMaxSuppression([box(0, 0.6), box(50, 0.9)], 0.3, 1)).toHaveLength(1);
    expect(iou(box(0, 1), box(5, 1))).toBeCloseTo(50 / 150, 6);
    expect(iou(box(0, 1), box(20, 1))).toBe(0);
  });
});
