import { describe, expect, it } from 'vitest';
import { bestThreshold, cosineDistance, euclidean, kFoldVerification } from './verification.js';

describe('verification metrics', () => {
  it('picks the threshold that separates same from different pairs', () => {
    const pairs = [
      { distance: 0.2, same: true, fold: 0 },
      { distance: 0.3, same: true, fold: 0 },
      { distance: 0.7, same: false, fold: 0 },
      { distance: 0.9, same: false, fold: 0 },
    ];
    expect(bestThreshold(pairs)).toBeCloseTo(0.5);
  });

  it('chooses each fold threshold on the other folds only', () => {
    // Fold 1 alone would need a threshold near 1.5; folds 0 and 2 say 0.5, so fold 1 scores 50%.
    const pairs = [
      { distance: 0.2, same: true, fold: 0 },
      { distance: 0.8, same: false, fold: 0 },
      { distance: 1.2, same: true, fold: 1 },
      { distance: 1.8, same: false, fold: 1 },
      { distance: 0.1, same: true, fold: 2 },
      { distance: 0.9, same: false, fold: 2 },
    ];
    const s = kFoldVerification(3, () => pairs);
    expect(s.perFold[1]).toBeCloseTo(0.5);
    expect(s.perFold[0]).toBe(1);
    expect(s.mean).toBeCloseTo(2.5 / 3);
    expect(s.std).toBeGreaterThan(0);
  });

  it('counts pairs with a missing face as wrong', () => {
    const pairs = [
      { distance: 0.1, same: true, fold: 0 },
      { distance: Number.NaN, same: true, fold: 0 },
    ];
    expect(kFoldVerification(1, () => pairs).mean).toBeCloseTo(0.5);
  });

  it('computes distances', () => {
    expect(euclidean(Float32Array.of(0, 3), Float32Array.of(4, 0))).toBeCloseTo(5);
    expect(cosineDistance(Float32Array.of(1, 0), Float32Array.of(0, 2))).toBeCloseTo(1);
    expect(cosineDistance(Float32Array.of(1, 1), Float32Array.of(2, 2))).toBeCloseTo(0);
  });
});
