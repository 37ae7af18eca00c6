interface Entry {
  lastMs: number;
  timer: NodeJS.Timeout | undefined;
  flag: boolean;
}

/** What {@link CoalescingLimiter.request} did. */
export type LimiterOutcome = 'ran' | 'deferred' | 'coalesced' | 'dropped';

/**
 * Runs an action per key at most once per interval. A request inside the interval either
 * joins the one deferred run at the interval's end (flags OR-ed) or, when it may not wait, is
 * dropped. Keys are remembered for one interval after their last run, so re-opening a room
 * does not reset its budget (that is what stops sync storms under churn).
 */
export class CoalescingLimiter {
  readonly #intervalMs: number;
  readonly #run: (key: string, flag: boolean) => void;
  readonly #entries = new Map<string, Entry>();

  constructor(intervalMs: number, run: (key: string, flag: boolean) => void) {
    this.#intervalMs = intervalMs;
    this.#run = run;
  }

  /**
   * Asks for a run of `key` now.
   * @param flag OR-ed into the flag of the run that serves this request.
   * @param mayDefer when the interval has not passed: defer (true) or drop (false).
   */
  request(key: string, flag: boolean, mayDefer: boolean): LimiterOutcome {
    const now = performance.now();
    let e = this.#entries.get(key);
    if (!e) {
      e = { lastMs: -Infinity, timer: undefined, flag: false };
      this.#entries.set(key, e);
    }
    if (e.timer) {
      e.flag ||= flag;
      return 'coalesced';
    }
    if (now - e.lastMs >= this.#intervalMs) {
      e.lastMs = now;
      this.#run(key, flag);
      return 'ran';
    }
    if (!mayDefer) return 'dropped';
    const entry = e;
    entry.flag = flag;
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        entry.lastMs = performance.now();
        const f = entry.flag;
        entry.flag = false;
        this.#run(key, f);
      },
      Math.max(0, entry.lastMs + this.#intervalMs - now),
    );
    entry.timer.unref();
    return 'deferred';
  }

  /** Cancels a deferred run of `key` (its rate budget is kept). */
  cancel(key: string): void {
    const e = this.#entries.get(key);
    if (e?.timer) {
      clearTimeout(e.timer);
      e.timer = undefined;
      e.flag = false;
    }
  }

  /** Cancels deferred runs of every key starting with `prefix`. */
  cancelPrefix(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.cancel(key);
  }

  /** Forgets keys idle for longer than the interval (call periodically). */
  prune(): void {
    const now = performance.now();
    for (const [key, e] of this.#entries) {
      if (!e.timer && now - e.lastMs >= this.#intervalMs) this.#entries.delete(key);
    }
  }

  /** Cancels everything. */
  close(): void {
    for (const key of this.#entries.keys()) this.cancel(key);
    this.#entries.clear();
  }
}
