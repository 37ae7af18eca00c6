import type { Bus, BusHandler, BusUnsubscribe } from './bus.js';

/**
 * Bus inside one process. Default for a single node; several relays created in one process
 * can share one instance to form a cluster (tests).
 */
export class InProcessBus implements Bus {
  readonly kind = 'memory';
  readonly #rooms = new Map<string, Set<BusHandler>>();
  #closed = false;

  get connected(): boolean {
    return !this.#closed;
  }

  publish(room: string, data: Uint8Array): void {
    const handlers = this.#rooms.get(room);
    if (!handlers || this.#closed) return;
    // Asynchronous like a network bus, so relays never re-enter themselves.
    for (const h of handlers) queueMicrotask(() => h(data));
  }

  async subscribe(room: string, handler: BusHandler): Promise<BusUnsubscribe> {
    let set = this.#rooms.get(room);
    if (!set) {
      set = new Set();
      this.#rooms.set(room, set);
    }
    // Wrap so the same handler can subscribe twice and unsubscribe each independently.
    const entry: BusHandler = (d) => handler(d);
    set.add(entry);
    return async () => {
      const s = this.#rooms.get(room);
      s?.delete(entry);
      if (s?.size === 0) this.#rooms.delete(room);
    };
  }

  onError(): void {}

  async close(): Promise<void> {
    this.#closed = true;
    this.#rooms.clear();
  }
}
