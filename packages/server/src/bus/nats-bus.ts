import {
  type ConnectionOptions,
  type NatsConnection,
  connect,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from 'nats';
import { BusError } from '../errors.js';
import type { Bus, BusHandler, BusUnsubscribe } from './bus.js';
import { type BusCredentials, resolveBusCredentials } from './bus-credentials.js';
import { natsClusterSubject, natsSubject } from './subjects.js';

/** Options of {@link NatsBus.connect}. */
export interface NatsBusOptions {
  /** Server URL(s), e.g. `nats://127.0.0.1:4222`; may embed `user:pass@` or `token@`. */
  servers: string | string[];
  /** Subject prefix. Default `semface`. */
  prefix?: string;
  /** Wait between reconnect attempts, ms. Default 250. */
  reconnectTimeWaitMs?: number;
  /** Credentials (instead of URL-embedded ones). Default none. */
  credentials?: BusCredentials;
}

function authenticator(c: BusCredentials): Pick<ConnectionOptions, 'authenticator'> {
  if (c.nkeySeed) return { authenticator: nkeyAuthenticator(new TextEncoder().encode(c.nkeySeed)) };
  if (c.token) return { authenticator: tokenAuthenticator(c.token) };
  if (c.user) return { authenticator: usernamePasswordAuthenticator(c.user, c.password ?? '') };
  return {};
}

/**
 * Bus over NATS core pub/sub: subject `<prefix>.room.<room>`, cluster channel
 * `<prefix>.cluster`. Waits for the server on first connect, fails at once on refused
 * credentials, reconnects forever afterwards.
 */
export class NatsBus implements Bus {
  readonly kind = 'nats';
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #listeners: Array<(err: Error) => void> = [];
  readonly #reconnectListeners: Array<() => void> = [];
  #connected = true;
  #closed = false;

  private constructor(nc: NatsConnection, prefix: string) {
    this.#nc = nc;
    this.#prefix = prefix;
    void this.#watch();
    void nc.closed().then((err) => {
      this.#connected = false;
      // Closed by the client itself after giving up (e.g. credentials revoked): say so once.
      if (!this.#closed) this.#emit(new BusError(`nats connection closed: ${err?.message ?? 'closed'}`));
    });
  }

  /**
   * Connects (waiting for the server if it is not up yet).
   * @throws BusError when the server refuses the credentials (or the URL is invalid); the
   *   message never contains a secret.
   */
  static async connect(opts: NatsBusOptions): Promise<NatsBus> {
    const urls = Array.isArray(opts.servers) ? opts.servers : [opts.servers];
    let credentials: BusCredentials = opts.credentials ?? {};
    const servers: string[] = [];
    try {
      for (const url of urls) {
        const r = resolveBusCredentials(url, servers.length === 0 ? credentials : {});
        if (servers.length === 0) credentials = r.credentials;
        servers.push(r.url);
      }
    } catch (err) {
      throw new BusError(`nats options invalid: ${(err as Error).message}`, { cause: err });
    }
    try {
      const nc = await connect({
        servers,
        name: 'semface-relay',
        maxReconnectAttempts: -1,
        reconnectTimeWait: opts.reconnectTimeWaitMs ?? 250,
        waitOnFirstConnect: true,
        pingInterval: 5_000,
        maxPingOut: 2,
        ...authenticator(credentials),
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
        // The client re-sent every SUB before this status, on the same ordered connection, so
        // anything published from here on is answered into live subscriptions.
        this.#connected = true;
        for (const l of this.#reconnectListeners) l();
      } else if (s.type === 'error') {
        this.#emit(new BusError(`nats error: ${String(s.data)}`));
      }
    }
  }

  #emit(err: Error): void {
    for (const l of this.#listeners) l(err);
  }

  publish(room: string, data: Uint8Array): void {
    this.#publish(natsSubject(this.#prefix, room), data);
  }

  subscribe(room: string, handler: BusHandler): Promise<BusUnsubscribe> {
    return this.#subscribe(natsSubject(this.#prefix, room), handler);
  }

  publishCluster(data: Uint8Array): void {
    this.#publish(natsClusterSubject(this.#prefix), data);
  }

  subscribeCluster(handler: BusHandler): Promise<BusUnsubscribe> {
    return this.#subscribe(natsClusterSubject(this.#prefix), handler);
  }

  #publish(subject: string, data: Uint8Array): void {
    if (this.#closed) return;
    try {
      // While reconnecting the client buffers (reconnectBufSize) instead of throwing.
      this.#nc.publish(subject, data);
    } catch (err) {
      this.#emit(new BusError(`nats publish failed: ${(err as Error).message}`, { cause: err }));
    }
  }

  async #subscribe(subject: string, handler: BusHandler): Promise<BusUnsubscribe> {
    const sub = this.#nc.subscribe(subject, {
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

  onReconnect(listener: () => void): void {
    this.#reconnectListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#nc.drain().catch(() => this.#nc.close());
  }
}
