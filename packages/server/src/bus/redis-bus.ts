import { Redis } from 'ioredis';
import { BusError } from '../errors.js';
import type { Bus, BusHandler, BusUnsubscribe } from './bus.js';
import { redisChannel } from './subjects.js';

/** Options of {@link RedisBus.connect}. */
export interface RedisBusOptions {
  /** Server URL, e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Channel prefix. Default `semface`. */
  prefix?: string;
}

/**
 * Bus over Redis pub/sub: channel `<prefix>:room:<room>`. Two connections (Redis puts a
 * subscribing connection in a mode that cannot publish). Reconnects forever and
 * re-subscribes; messages published while disconnected are dropped, not queued.
 */
export class RedisBus implements Bus {
  readonly kind = 'redis';
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #prefix: string;
  readonly #handlers = new Map<string, Set<BusHandler>>();
  readonly #listeners: Array<(err: Error) => void> = [];
  #closed = false;

  private constructor(pub: Redis, sub: Redis, prefix: string) {
    this.#pub = pub;
    this.#sub = sub;
    this.#prefix = prefix;
    for (const c of [pub, sub])
      c.on('error', (err: Error) => this.#emit(new BusError(`redis: ${err.message}`)));
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const set = this.#handlers.get(channel.toString());
      if (set) for (const h of set) h(message);
    });
  }

  /** Connects both connections. */
  static async connect(opts: RedisBusOptions): Promise<RedisBus> {
    const make = () =>
      new Redis(opts.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        autoResubscribe: true,
        retryStrategy: (times: number) => Math.min(50 * times, 500),
      });
    const pub = make();
    const sub = make();
    try {
      await Promise.all([pub.connect(), sub.connect()]);
    } catch (err) {
      pub.disconnect();
      sub.disconnect();
      throw new BusError(`redis connect failed: ${(err as Error).message}`, { cause: err });
    }
    return new RedisBus(pub, sub, opts.prefix ?? 'semface');
  }

  get connected(): boolean {
    return !this.#closed && this.#pub.status === 'ready' && this.#sub.status === 'ready';
  }

  #emit(err: Error): void {
    for (const l of this.#listeners) l(err);
  }

  publish(room: string, data: Uint8Array): void {
    if (this.#closed) return;
    this.#pub
      .publish(redisChannel(this.#prefix, room), Buffer.from(data.buffer, data.byteOffset, data.byteLength))
      .catch((err: Error) =>
        this.#emit(new BusError(`redis publish failed: ${err.message}`, { cause: err })),
      );
  }

  async subscribe(room: string, handler: BusHandler): Promise<BusUnsubscribe> {
    const channel = redisChannel(this.#prefix, room);
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

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.clear();
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
    this.#pub.disconnect();
    this.#sub.disconnect();
  }
}
