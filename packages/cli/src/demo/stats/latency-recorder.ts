/** Summary of recorded latencies, milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly medianMs: number | null;
  readonly p99Ms: number | null;
  readonly meanMs: number | null;
}

/** Keeps the last `capacity` latency samples and reports median / p99 over them. */
export class LatencyRecorder {
  readonly #capacity: number;
  readonly #samples: number[] = [];
  #total = 0;

  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be an integer >= 1');
    this.#capacity = capacity;
  }

  /** Samples recorded since construction (not capped). */
  get total(): number {
    return this.#total;
  }

  /** Adds one sample (ms); non-finite or negative values are ignored. */
  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.#total++;
    this.#samples.push(ms);
    if (this.#samples.length > this.#capacity) this.#samples.shift();
  }

  /** Last sample, or null. */
  get last(): number | null {
    return this.#samples.at(-1) ?? null;
  }

  summary(): LatencySummary {
    const n = this.#samples.length;
    if (n === 0) return { count: 0, medianMs: null, p99Ms: null, meanMs: null };
    const s = [...this.#samples].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
    const mean = s.reduce((a, b) => a + b, 0) / n;
    return { count: n, medianMs: q(0.5), p99Ms: q(0.99), meanMs: mean };
  }
}
