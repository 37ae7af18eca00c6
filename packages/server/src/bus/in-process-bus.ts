import type { Bus, BusHandler, BusUnsubscribe } from './bus.js';

/** Channel key of the cluster channel: room names never contain a NUL. */
const CLUSTER = '\u0000cluster';

/**
 * Bus inside one process. Default for a single node; several relays created in one process
 * can share one instance to form a cluster (tests).
 */
export class InProcessBus implements Bus {
  readonly kind = 'memory';
  readonly #channels = new Map<string, Set<BusHandler>>();
  #closed = false;

  get connected(): boolean {
    return !this.#closed;
  }

  publish(room: string, data: Uint8Array): void {
    this.#publish(room, data);
  }

  subscribe(room: string, handler: BusHandler): Promise<BusUnsubscribe> {
    return this.#subscribe(room, handler);
  }

  publishCluster(data: Uint8Array): void {
    this.#publish(CLUSTER, data);
  }

  subscribeCluster(handler: BusHandler): Promise<BusUnsubscribe> {
    return this.#subscribe(CLUSTER, handler);
  }

  #publish(channel: string, data: Uint8Array): void {
    const handlers = this.#channels.get(channel);
    if (!handlers || this.#closed) return;
    // Asynchronous like a network bus, so relays never re-enter themselves.
    for (const h of handlers) queueMicrotask(() => h(data));
  }

  async #subscribe(channel: string, handler: BusHandler): Promise<BusUnsubscribe> {
    let set = this.#channels.get(channel);
    if (!set) {
      set = new Set();
      this.#channels.set(channel, set);
    }
    // Wrap so the same handler can subscribe twice and unsubscribe each independently.
    const entry: BusHandler = (d) => handler(d);
    set.add(entry);
    return async () => {
      const s = this.#channels.get(channel);
      s?.delete(entry);
      if (s?.size === 0) this.#channels.delete(channel);
    };
  }

  onError(): void {}

  /** Never called: an in-process bus does not drop. */
  onReconnect(): void {}

  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
  }
}
