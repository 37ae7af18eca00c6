/** Sliding-window byte counter: bit rate over the last `windowMs` milliseconds. */
export class RateMeter {
  readonly #windowMs: number;
  readonly #events: { t: number; bytes: number }[] = [];
  #bytes = 0;

  constructor(windowMs = 2000) {
    if (!(windowMs > 0)) throw new RangeError('windowMs must be > 0');
    this.#windowMs = windowMs;
  }

  /** Records `bytes` at time `t` (ms, monotonic). */
  add(bytes: number, t: number): void {
    this.#events.push({ t, bytes });
    this.#bytes += bytes;
    this.#trim(t);
  }

  /** Bits per second over the window ending at `t`; 0 before two events. */
  bitsPerSecond(t: number): number {
    this.#trim(t);
    if (this.#events.length < 2) return 0;
    const span = Math.max(t - this.#events[0]!.t, 1);
    // The first event opens the window; its bytes belong to the time before it.
    return ((this.#bytes - this.#events[0]!.bytes) * 8 * 1000) / span;
  }

  #trim(t: number): void {
    while (this.#events.length > 0 && this.#events[0]!.t < t - this.#windowMs) {
      this.#bytes -= this.#events.shift()!.bytes;
    }
  }
}
