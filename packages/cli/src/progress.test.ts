import { describe, expect, it } from 'vitest';
import { ProgressBar, formatDuration, formatProgressLine } from './progress.js';

function sink(isTTY: boolean): {
  writes: string[];
  stream: { write(t: string): void; isTTY: boolean; columns: number };
} {
  const writes: string[] = [];
  return { writes, stream: { write: (t: string) => writes.push(t), isTTY, columns: 80 } };
}

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('--:--');
  });

  it('formats a line with bar, rate, ETA and failures', () => {
    const line = formatProgressLine('lfw', { done: 25, total: 100, failed: 2, elapsed: 5 }, 80);
    expect(line).toMatch(/^lfw \[#+\.+\] 25\/100 25\.0% 5\.0\/s ETA 0:15 \(2 failed\)$/);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(formatProgressLine('', { done: 7, total: undefined, failed: 0, elapsed: 2 })).toBe(
      '7 done 3.5/s 0:02',
    );
  });

  it('redraws one line in place on a TTY', () => {
    let t = 0;
    const { writes, stream } = sink(true);
    const bar = new ProgressBar({ total: 4, label: 'x', stream, now: () => t });
    t = 1000;
    bar.tick();
    t = 1050; // within the redraw interval: no output
    bar.tick();
    t = 2000;
    bar.tick(2);
    bar.finish();
    bar.finish();
    expect(writes).toHaveLength(3);
    expect(writes.every((w) => w.startsWith('\r'))).toBe(true);
    expect(writes[0]).toContain('1/4');
    expect(writes[2]).toContain('4/4');
    expect(writes[2]!.endsWith('\n')).toBe(true);
    expect(writes.slice(0, 2).some((w) => w.includes('\n'))).toBe(false);
  });

  it('prints plain lines at an interval when not a TTY', () => {
    let t = 0;
    const { writes, stream } = sink(false);
    const bar = new ProgressBar({ total: 100, stream, now: () => t, intervalMs: 1000 });
    for (let i = 0; i < 100; i++) {
      t += 100;
      bar.tick(1, i % 10 === 0 ? 1 : 0);
    }
    bar.finish();
    // Lines at t=100 and every second after, plus the final one.
    expect(writes.length).toBe(11);
    expect(writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
    expect(writes.at(-1)).toContain('100/100 100.0% 10.0/s in 0:10 (10 failed)');
  });

  it('validates options', () => {
    expect(() => new ProgressBar({ total: -1 })).toThrow(RangeError);
    expect(() => new ProgressBar({ intervalMs: -5 })).toThrow(RangeError);
  });
});
