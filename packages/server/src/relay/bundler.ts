import { compressBundleEntries, encodeBundle } from '@semface/protocol';
import type { Outgoing } from './outbound-queue.js';

/**
 * Protocol v2 bundling for one subscriber: messages wait up to one interval and leave as one
 * bundle, so a subscriber pays one WebSocket and TCP/IP header per interval instead of one per
 * frame (latency traded for packets, chosen by the client in Hello). Nothing is dropped here; the
 * bundle enters the subscriber's queue like any message (reliable if any entry is).
 */
export class Bundler {
  readonly #push: (msg: Outgoing, frames: readonly Outgoing[]) => void;
  readonly #timer: NodeJS.Timeout;
  #pending: Outgoing[] = [];

  /** `push` receives each bundle and the frames in it (for metrics). */
  constructor(intervalMs: number, push: (msg: Outgoing, frames: readonly Outgoing[]) => void) {
    this.#push = push;
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref();
  }

  /** Holds one message for the next bundle. */
  add(msg: Outgoing): void {
    this.#pending.push(msg);
  }

  /** Sends what is pending as one message. */
  flush(): void {
    const list = this.#pending;
    if (list.length === 0) return;
    this.#pending = [];
    if (list.length === 1) {
      this.#push(list[0]!, list);
      return;
    }
    const reliable = list.some((m) => m.reliable);
    const bytes = encodeBundle(compressBundleEntries(list.map((m) => m.bytes)));
    this.#push({ bytes, reliable, stream: undefined, kind: undefined, ingressMs: 0 }, list);
  }

  /** Stops the timer; pending messages are dropped (the socket is closing). */
  close(): void {
    clearInterval(this.#timer);
    this.#pending = [];
  }
}
