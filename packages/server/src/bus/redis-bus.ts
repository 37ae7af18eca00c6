import { Redis } from 'ioredis';
import { BusError } from '../errors.js';
import type { Bus, BusHandler, BusUnsubscribe } from './bus.js';
import { type BusCredentials, resolveBusCredentials } from './bus-credentials.js';
import { redisChannel, redisClusterChannel } from './subjects.js';

/** Options of {@link RedisBus.connect}. */
export interface RedisBusOptions {
  /** Server URL, e.g. `redis://127.0.0.1:6379`; may embed `user:pass@` or `:pass@`. */
  url: string;
  /** Channel prefix. Default `semface`. */
  prefix?: string;
  /** Credentials (instead of URL-embedded ones): ACL user + password, or password alone. */
  credentials?: BusCredentials;
}

/**
 * Bus over Redis pub/sub: channel `<prefix>:room:<room>`, cluster channel `<prefix>:cluster`.
 * Two connections (Redis puts a subscribing connection in a mode that cannot publish).
 * Reconnects forever and re-subscribes; messages published while disconnected are dropped, not
 * queued.
 */
export class RedisBus implements Bus {
  readonly kind = 'redis';
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;
  readonly #handlers = new Map<string, Set<BusHandler>>();
  readonly #listeners: Array<(err: Error) => void> = [];
  readonly #reconnectListeners: Array<() => void> = [];
  /** A connection dropped since the last reconnect notice. */
  #dropped = false;
  #closed = false;

  private constructor(pub: Redis, sub: Redis, prefix: string) {
    this.#pub = pub;
    this.#sub = sub;
    this.#prefix = prefix;
    for (const c of [pub, sub]) {
      c.on('error', (err: Error) => this.#emit(new BusError(`redis: ${err.message}`)));
      c.on('close', () => {
        if (!this.#closed) this.#dropped = true;
      });
      c.on('ready', () => void this.#onReady());
    }
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const set = this.#handlers.get(channel.toString());
      if (set) for (const h of set) h(message);
    });
  }

  /**
   * Connects both connections.
   * @throws BusError when the server is unreachable or refuses the credentials (the message
   *   never contains a secret).
   */
  static async connect(opts: RedisBusOptions): Promise<RedisBus> {
    let target: { url: string; credentials: BusCredentials };
    try {
      target = resolveBusCredentials(opts.url, opts.credentials ?? {});
    } catch (err) {
      throw new BusError(`redis options invalid: ${(err as Error).message}`, { cause: err });
    }
    const c = target.credentials;
    let lastError: Error | undefined;
    const make = () => {
      const r = new Redis(target.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        autoResubscribe: true,
        retryStrategy: (times: number) => Math.min(50 * times, 500),
        ...(c.user ? { username: c.user } : {}),
        ...(c.password ? { password: c.password } : {}),
      });
      // ioredis rejects connect() with a bare "Connection is closed"; the cause (NOAUTH,
      // WRONGPASS, ECONNREFUSED) only arrives as an error event.
      r.on('error', (err: Error) => {
        lastError = err;
      });
      return r;
    };
    const pub = make();
    const sub = make();
    try {
      await Promise.all([pub.connect(), sub.connect()]);
    } catch (err) {
      pub.disconnect();
      sub.disconnect();
      const why = lastError?.message ?? (err as Error).message;
      throw new BusError(`redis connect failed: ${why}`, { cause: lastError ?? err });
    }
    return new RedisBus(pub, sub, opts.prefix ?? 'semface');
  }

  get connected(): boolean {
    return !this.#closed && this.#pub.status === 'ready' && this.#sub.status === 'ready';
  }

  /**
   * After a drop, once both connections are ready: re-subscribes every channel explicitly and
   * waits for the server's confirmation (ioredis' own auto-resubscribe is not awaited), then
   * tells the reconnect listeners, so their re-sync answers land in live subscriptions.
   */
  async #onReady(): Promise<void> {
    if (!this.#dropped || !this.connected) return;
    this.#dropped = false;
    const channels = [...this.#handlers.keys()];
    try {
      if (channels.length > 0) await this.#sub.subscribe(...channels);
    } catch (err) {
      this.#dropped = true;
      this.#emit(new BusError(`redis resubscribe failed: ${(err as Error).message}`, { cause: err }));
      return;
    }
    if (this.#closed || this.#dropped) return;
    for (const l of this.#reconnectListeners) l();
  }

  #emit(err: Error): void {
    for (const l of this.#listeners) l(err);
  }

  publish(room: string, data: Uint8Array): void {
    this.#publish(redisChannel(this.#prefix, room), data);
  }

  subscribe(room: string, handler: BusHandler): Promise<BusUnsubscribe> {
    return this.#subscribe(redisChannel(this.#prefix, room), handler);
  }

  publishCluster(data: Uint8Array): void {
    this.#publish(redisClusterChannel(this.#prefix), data);
  }

  subscribeCluster(handler: BusHandler): Promise<BusUnsubscribe> {
    return this.#subscribe(redisClusterChannel(this.#prefix), handler);
  }

  #publish(channel: string, data: Uint8Array): void {
    if (this.#closed) return;
    this.#pub
      .publish(channel, Buffer.from(data.buffer, data.byteOffset, data.byteLength))
      .catch((err: Error) =>
        this.#emit(new BusError(`redis publish failed: ${err.message}`, { cause: err })),
      );
  }

  async #subscribe(channel: string, handler: BusHandler): Promise<BusUnsubscribe> {
    let set = this.#handlers.get(channel);
    if (!set) {
      set = new Set();
      this.#handlers.set(channel, set);
      // While disconnected the subscribe cannot be sent; autoResubscribe picks it up on reconnect
      // only if ioredis recorded it, so wait for readiness instead of failing.
      await this.#whenReady();
      await this.#sub.subscribe(channel);
    }
    const entry: BusHandler = (d) => handler(d);
    set.add(entry);
    return async () => {
      const s = this.#handlers.get(channel);
      if (!s) return;
      s.delete(entry);
      if (s.size === 0) {
        this.#handlers.delete(channel);
        if (this.#sub.status === 'ready') await this.#sub.unsubscribe(channel).catch(() => {});
      }
    };
  }

  async #whenReady(): Promise<void> {
    if (this.#sub.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        this.#sub.off('end', onEnd);
        resolve();
      };
      const onEnd = () => {
        this.#sub.off('ready', onReady);
        reject(new BusError('redis connection ended'));
      };
      this.#sub.once('ready', onReady);
      this.#sub.once('end', onEnd);
    });
  }

  onError(listener: (err: Error) => void): void {
    this.#listeners.push(listener);
  }

  onReconnect(listener: () => void): void {
    this.#reconnectListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.clear();
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
    this.#pub.disconnect();
    this.#sub.disconnect();
  }
}
