import { describe, expect, it } from 'vitest';
import { SAME_PERSON_DISTANCE, descriptorDistance, isSamePerson } from './descriptor-distance.js';

describe('descriptorDistance', () => {
  it('is the euclidean distance and thresholds at 0.6', () => {
    const a = new Float32Array(128);
    const b = new Float32Array(128);
    b[0] = 0.3;
    b[1] = 0.4;
    expect(descriptorDistance(a, b)).toBeCloseTo(0.5, 6);
    expect(isSamePerson(a, b)).toBe(true);
    b[2] = 0.5;
    expect(descriptorDistance(a, b)).toBeGreaterThan(SAME_PERSON_DISTANCE);
    expect(isSamePerson(a, b)).toBe(false);
    expect(() => descriptorDistance(a, new Float32Array(3))).toThrow(RangeError);
  });
});
