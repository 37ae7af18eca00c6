/**
 * Rate limit for a receiver's key-frame requests: losses come in bursts, and one request per
 * interval is enough for the publisher to send a key frame.
 */
export class KeyFrameRequestLimiter {
  readonly #request: () => void;
  readonly #intervalMs: number;
  #lastRequest = Number.NEGATIVE_INFINITY;

  /** `request` asks the publisher for a key frame; `intervalMs` is the least time between two calls (ms). */
  constructor(request: () => void, intervalMs: number) {
    this.#request = request;
    this.#intervalMs = intervalMs;
  }

  /** A loss was detected: requests a key frame unless one was requested within the interval. */
  lossDetected(): void {
    const now = performance.now();
    if (now - this.#lastRequest < this.#intervalMs) return;
    this.#lastRequest = now;
    this.#request();
  }

  /** A key frame decoded: a fresh loss after this point deserves an immediate request. */
  keyFrameDecoded(): void {
    this.#lastRequest = Number.NEGATIVE_INFINITY;
  }
}
