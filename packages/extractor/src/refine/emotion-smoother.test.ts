import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import { EmotionSmoother } from './emotion-smoother.js';

// The fixture is shared with training/refine/tests/test_refine.py (Python's smoothing must match it);
// it was written from this class's output, and this test keeps the class on it.
const fixture = JSON.parse(
  readFileSync(new URL('../../contracts/parity/emotion-smoothing.json', import.meta.url), 'utf8'),
) as { rows: { source: string; frameIndex: number }[]; input: number[][]; output: number[][] };

describe('EmotionSmoother', () => {
  it('passes the first frame through and averages the next ones with the contract alpha', () => {
    const s = new EmotionSmoother();
    expect(Array.from(s.apply(Float32Array.of(1, -1)))).toEqual([1, -1]);
    const a = REFINEMENT_SPEC.emotion.videoSmoothing.alpha;
    const out = s.apply(Float32Array.of(3, 1));
    expect(out[0]).toBeCloseTo(a * 3 + (1 - a) * 1, 6);
    s.reset();
    expect(Array.from(s.apply(Float32Array.of(5, 5)))).toEqual([5, 5]);
  });

  it('gives the parity fixture values, restarting at clip starts and frame gaps', () => {
    const s = new EmotionSmoother();
    fixture.rows.forEach((row, i) => {
      const prev = fixture.rows[i - 1];
      if (!(prev && prev.source === row.source && prev.frameIndex === row.frameIndex - 1)) s.reset();
      expect(Array.from(s.apply(Float32Array.from(fixture.input[i]!)))).toEqual(fixture.output[i]);
    });
  });
});
