import { type NatsConnection, connect } from 'nats';
import { BusError } from '../errors.js';
import type { Bus, BusHandler, BusUnsubscribe } from './bus.js';
import { natsSubject } from './subjects.js';

/** Options of {@link NatsBus.connect}. */
export interface NatsBusOptions {
  /** Server URL(s), e.g. `nats://127.0.0.1:4222`. */
  servers: string | string[];
  /** Subject prefix. Default `semface`. */
  prefix?: string;
  /** Wait between reconnect attempts, ms. Default 250. */
  reconnectTimeWaitMs?: number;
}

/** Bus over NATS core pub/sub: subject `<prefix>.room.<room>`. Reconnects forever. */
export class NatsBus implements Bus {
  readonly kind = 'nats';
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #listeners: Array<(err: Error) => void> = [];
  #connected = true;
  #closed = false;

  private constructor(nc: NatsConnection, prefix: string) {
    this.#nc = nc;
    this.#prefix = prefix;
    void this.#watch();
  }

  /** Connects (waiting for the server if it is not up yet). */
  static async connect(opts: NatsBusOptions): Promise<NatsBus> {
    try {
      const nc = await connect({
        servers: opts.servers,
        name: 'semface-relay',
        maxReconnectAttempts: -1,
        reconnectTimeWait: opts.reconnectTimeWaitMs ?? 250,
        waitOnFirstConnect: true,
        pingInterval: 5_000,
        maxPingOut: 2,
      });
      return new NatsBus(nc, opts.prefix ?? 'semface');
    } catch (err) {
      throw new BusError(`nats connect failed: ${(err as Error).message}`, { cause: err });
    }
  }

  get connected(): boolean {
    return this.#connected && !this.#closed;
  }

  async #watch(): Promise<void> {
    for await (const s of this.#nc.status()) {
      if (s.type === 'disconnect') {
        this.#connected = false;
        this.#emit(new BusError(`nats disconnected from ${String(s.data)}`));
      } else if (s.type === 'reconnect') {
        this.#connected = true;
      } else if (s.type === 'error') {
        this.#emit(new BusError(`nats error: ${String(s.data)}`));
      }
    }
  }

  #emit(err: Error): void {
    for (const l of this.#listeners) l(err);
  }

  publish(room: string, data: Uint8Array): void {
    if (this.#closed) return;
    try {
      // While reconnecting the client buffers (reconnectBufSize) instead of throwing.
      this.#nc.publish(natsSubject(this.#prefix, room), data);
    } catch (err) {
      this.#emit(new BusError(`nats publish failed: ${(err as Error).message}`, { cause: err }));
    }
  }

  async subscribe(room: string, handler: BusHandler): Promise<BusUnsubscribe> {
    const sub = this.#nc.subscribe(natsSubject(this.#prefix, room), {
      callback: (err, msg) => {
        if (err) this.#emit(new BusError(`nats subscription error: ${err.message}`, { cause: err }));
        else handler(msg.data);
      },
    });
    return async () => {
      if (!sub.isClosed()) sub.unsubscribe();
    };
  }

  onError(listener: (err: Error) => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#nc.drain().catch(() => this.#nc.close());
  }
}
