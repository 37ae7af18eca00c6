import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW, ReplayWindow } from './replay-window.js';

describe('ReplayWindow', () => {
  it('accepts each sequence number once, in any order within the window', () => {
    const w = new ReplayWindow();
    for (const s of [1, 3, 2, 10, 5, 4]) expect(w.accept(s)).toBe(true);
    for (const s of [1, 2, 3, 4, 5, 10]) expect(w.accept(s)).toBe(false);
    expect(w.accept(9)).toBe(true);
    expect(w.top).toBe(10);
  });

  it('refuses numbers that fell out of the window and invalid ones', () => {
    const w = new ReplayWindow();
    expect(w.accept(5)).toBe(true);
    expect(w.accept(5 + REPLAY_WINDOW)).toBe(true);
    expect(w.accept(5)).toBe(false);
    expect(w.accept(4)).toBe(false);
    // Just inside the window and never seen: late but new.
    expect(w.accept(6)).toBe(true);
    expect(w.accept(7 + REPLAY_WINDOW - 1)).toBe(true);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(w.accept(bad)).toBe(false);
  });

  it('forgets old bits when it slides, so a reused slot is not mistaken for a repeat', () => {
    const w = new ReplayWindow();
    expect(w.accept(1)).toBe(true);
    expect(w.accept(1 + REPLAY_WINDOW * 3)).toBe(true);
    // Same bit position as 1, never seen: new.
    expect(w.accept(1 + REPLAY_WINDOW * 2 + 1)).toBe(true);
    expect(w.accept(1 + REPLAY_WINDOW * 3 - 5)).toBe(true);
  });
});
