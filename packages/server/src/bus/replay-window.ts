/** Sequence numbers remembered behind the highest one seen. */
export const REPLAY_WINDOW = 4096;

/**
 * Sliding-window replay filter over one sender's sequence numbers (RFC 4303 style): accepts
 * each number at most once, tolerates reordering up to {@link REPLAY_WINDOW} behind the highest,
 * and refuses anything older.
 */
export class ReplayWindow {
  #top = 0;
  readonly #bits = new Uint32Array(REPLAY_WINDOW / 32);

  /** Highest accepted sequence number (0 before the first). */
  get top(): number {
    return this.#top;
  }

  /** True (and remembered) if `seq` is new; false for repeats, too-old and invalid numbers. */
  accept(seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq < 1) return false;
    if (seq > this.#top) {
      const advance = seq - this.#top;
      if (advance >= REPLAY_WINDOW) this.#bits.fill(0);
      else for (let s = this.#top + 1; s < seq; s++) this.#clear(s);
      this.#top = seq;
      this.#set(seq);
      return true;
    }
    if (this.#top - seq >= REPLAY_WINDOW) return false;
    if (this.#has(seq)) return false;
    this.#set(seq);
    return true;
  }

  #has(seq: number): boolean {
    const i = seq % REPLAY_WINDOW;
    return (this.#bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  #set(seq: number): void {
    const i = seq % REPLAY_WINDOW;
    this.#bits[i >>> 5]! |= 1 << (i & 31);
  }

  #clear(seq: number): void {
    const i = seq % REPLAY_WINDOW;
    this.#bits[i >>> 5]! &= ~(1 << (i & 31));
  }
}
