/**
 * Frames of one remote stream lane waiting to be decoded, handed to `decode` one at a time in
 * arrival order (decoders must not overlap). At most `limit` frames wait (the one being decoded is
 * not counted), whatever their kind: a remote publisher decides what arrives, so nothing it sends may
 * grow this without bound. A full backlog takes a frame only in place of waiting frames it makes
 * useless (see {@link push}); waiting frames are dropped, not kept as closures, so their payloads
 * can be collected at once.
 */
export class FrameBacklog<F> {
  readonly #limit: number;
  readonly #decode: (frame: F) => Promise<void>;
  #waiting: F[] = [];
  #running = false;
  #closed = false;

  /** `limit`: most frames waiting (unit: frames, >= 1). `decode` must not throw (a rejection is ignored). */
  constructor(limit: number, decode: (frame: F) => Promise<void>) {
    this.#limit = limit;
    this.#decode = decode;
  }

  /** Frames waiting (not counting the one being decoded). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Queues `frame`. When the backlog is full, the waiting frames `supersedes` selects are dropped
   * first (e.g. every frame before a key frame); if that frees no room, `frame` itself is dropped.
   * @returns false when `frame` was dropped.
   */
  push(frame: F, supersedes?: (waiting: F) => boolean): boolean {
    if (this.#closed) return false;
    if (this.#waiting.length >= this.#limit && supersedes) {
      this.#waiting = this.#waiting.filter((w) => !supersedes(w));
    }
    if (this.#waiting.length >= this.#limit) return false;
    this.#waiting.push(frame);
    if (!this.#running) void this.#drain();
    return true;
  }

  /** Drops every waiting frame and refuses new ones; a decode in progress finishes. */
  close(): void {
    this.#closed = true;
    this.#waiting = [];
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      for (let frame = this.#waiting.shift(); frame !== undefined; frame = this.#waiting.shift()) {
        try {
          await this.#decode(frame);
        } catch {
          // Receivers report their own failures; one bad frame must not stop the lane.
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
