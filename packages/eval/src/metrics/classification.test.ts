import { describe, expect, it } from 'vitest';
import { argmax, classificationScore } from './classification.js';

describe('classificationScore', () => {
  it('scores accuracy, coverage and per-class accuracy', () => {
    const s = classificationScore([0, 0, 1, 2], [0, 1, 1, -1], 3);
    expect(s.accuracy).toBeCloseTo(0.5);
    expect(s.predicted).toBe(3);
    expect(s.perClass[0]).toBeCloseTo(0.5);
    expect(s.perClass[1]).toBe(1);
    expect(s.perClass[2]).toBe(0);
  });

  it('finds the largest value', () => {
    expect(argmax([0.1, 0.7, 0.2])).toBe(1);
  });
});
