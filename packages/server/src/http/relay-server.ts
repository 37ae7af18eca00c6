import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ANY_ROOM, WireLimits, isValidRoomName } from '@semface/protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { WebSocketServer } from 'ws';
import { TokenVerifier, mintToken } from '../auth/token.js';
import type { Bus } from '../bus/bus.js';
import { createBus } from '../bus/create-bus.js';
import { busCredentials } from '../config/cluster-options.js';
import {
  type RelayServerOptions,
  type ResolvedRelayOptions,
  isLoopbackAddress,
  resolveRelayOptions,
} from '../config/options.js';
import { ServerStateError } from '../errors.js';
import { RelayMetrics } from '../metrics/relay-metrics.js';
import { Relay } from '../relay/relay.js';

/** Longest lifetime of a token from the dev endpoint, seconds. */
const DEV_TOKEN_TTL_SECONDS = 3600;

/** Address a started server listens on. */
export interface RelayAddress {
  host: string;
  port: number;
  /** WebSocket URL of the relay endpoint. */
  url: string;
}

/** A relay node: HTTP endpoints plus the WebSocket relay. */
export class RelayServer {
  readonly options: ResolvedRelayOptions;
  readonly log: Logger;
  readonly metrics = new RelayMetrics();
  readonly #app: FastifyInstance;
  /** Separate /metrics listener when `metricsPort` is set. */
  #metricsApp: FastifyInstance | undefined;
  readonly #wss: WebSocketServer;
  readonly #verifier: TokenVerifier;
  #bus: Bus | undefined;
  #ownsBus = false;
  #relay: Relay | undefined;
  #state: 'new' | 'starting' | 'running' | 'closing' | 'closed' = 'new';
  #address: RelayAddress | undefined;

  constructor(options: Partial<RelayServerOptions> & { tokenSecret: string }) {
    this.options = resolveRelayOptions(options);
    const o = this.options;
    this.log = o.logger ?? pino({ level: o.logLevel, base: { service: 'semface-relay' } });
    this.#verifier = new TokenVerifier(o.tokenSecret, o.tokenIssuer, {
      maxTtlSeconds: o.maxTokenTtlSeconds,
      clockSkewSeconds: o.tokenClockSkewSeconds,
    });
    this.#wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: o.hardMaxMessageBytes,
      clientTracking: false,
    });
    this.#app = Fastify({
      // Request logs at info would log every health probe; keep warnings and errors only.
      loggerInstance: this.log.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
      bodyLimit: 16 * 1024,
      // A client dribbling its upgrade headers (slowloris) is cut after this.
      // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check often.
      http: {
        headersTimeout: o.httpHeadersTimeoutMs,
        requestTimeout: o.httpHeadersTimeoutMs + 5_000,
        connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(o.httpHeadersTimeoutMs / 4))),
      },
    });
    this.#routes();
  }

  /** The relay core (after start()). */
  get relay(): Relay {
    if (!this.#relay) throw new ServerStateError('server not started');
    return this.#relay;
  }

  /** Listening address (after start()). */
  get address(): RelayAddress {
    if (!this.#address) throw new ServerStateError('server not started');
    return this.#address;
  }

  /** Connects the bus and starts listening. */
  async start(): Promise<RelayAddress> {
    if (this.#state !== 'new') throw new ServerStateError(`cannot start a server that is ${this.#state}`);
    this.#state = 'starting';
    const o = this.options;
    if (o.bus) {
      this.#bus = o.bus;
    } else {
      this.#bus = await createBus(o.busUrl, busCredentials(o));
      this.#ownsBus = true;
    }
    this.#relay = new Relay(o, this.log, this.metrics, this.#verifier, this.#bus);
    this.#app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(req, socket, head),
    );
    await this.#app.listen({ host: o.host, port: o.port });
    if (o.metricsPort !== undefined) {
      this.#metricsApp = Fastify({ logger: false });
      this.#metricsApp.get('/metrics', async (_req, reply) => this.#sendMetrics(reply));
      await this.#metricsApp.listen({ host: o.metricsHost, port: o.metricsPort });
    }
    const addr = this.#app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : o.port;
    const host = o.host.includes(':') ? `[${o.host}]` : o.host;
    this.#address = { host: o.host, port, url: `ws://${host}:${port}${o.path}` };
    this.#state = 'running';
    this.log.info(
      {
        url: this.#address.url,
        node: this.#relay.nodeId,
        bus: this.#bus.kind,
        devTokens: o.devTokenEndpoint,
      },
      'relay listening',
    );
    return this.#address;
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== this.options.path) {
      reject(404, 'Not Found');
      return;
    }
    const relay = this.#relay;
    if (
      !relay ||
      this.#state !== 'running' ||
      relay.draining ||
      relay.connectionCount >= this.options.maxConnections
    ) {
      reject(503, 'Service Unavailable');
      return;
    }
    if (!relay.admitsIp(req.socket.remoteAddress)) {
      this.metrics.errors.labels('SEMFACE_ERR_RELAY_CONNECTION_LIMIT').inc();
      reject(429, 'Too Many Requests');
      return;
    }
    socket.on('error', () => socket.destroy());
    this.#wss.handleUpgrade(req, socket, head, (ws) => relay.accept(ws, req));
  }

  #routes(): void {
    const app = this.#app;
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
      const ready = this.#state === 'running' && !this.#relay?.draining && (this.#bus?.connected ?? false);
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not ready', bus: this.#bus?.kind });
    });
    // Metrics show who is connected and how much: not for the public port unless asked for.
    app.get('/metrics', async (req, reply) => {
      if (this.options.metricsPort !== undefined) return reply.code(404).send({ error: 'not found' });
      if (
        !isLoopbackAddress(req.socket.remoteAddress) &&
        !this.#metricsAuthorized(req.headers.authorization)
      ) {
        return reply.code(403).send({ error: 'metrics need a loopback client or the metrics token' });
      }
      return this.#sendMetrics(reply);
    });
    if (this.options.devTokenEndpoint) {
      app.post('/v1/dev/token', async (req, reply) => {
        // Tokens for anyone who asks: only for processes on this machine.
        if (!isLoopbackAddress(req.socket.remoteAddress)) {
          return reply.code(403).send({ error: 'the dev token endpoint answers loopback clients only' });
        }
        const b = (req.body ?? {}) as Record<string, unknown>;
        const identity =
          typeof b.identity === 'string' ? b.identity : `dev-${Math.random().toString(36).slice(2, 8)}`;
        if (identity.length === 0 || identity.length > WireLimits.maxIdentityLength)
          return reply.code(400).send({ error: 'invalid identity' });
        const room = typeof b.room === 'string' ? b.room : ANY_ROOM;
        if (room !== ANY_ROOM && !isValidRoomName(room))
          return reply.code(400).send({ error: 'invalid room' });
        const ttl = typeof b.ttlSeconds === 'number' ? Math.floor(b.ttlSeconds) : DEV_TOKEN_TTL_SECONDS;
        try {
          const token = await mintToken(this.options.tokenSecret, {
            identity,
            room,
            canPublish: b.canPublish !== false,
            canSubscribe: b.canSubscribe !== false,
            canReceiveIdentityCode: b.canReceiveIdentityCode === true,
            ttlSeconds: Math.max(1, Math.min(ttl, DEV_TOKEN_TTL_SECONDS)),
            issuer: this.options.tokenIssuer,
          });
          return { token, identity, room };
        } catch (err) {
          return reply.code(400).send({ error: (err as Error).message });
        }
      });
    }
  }

  async #sendMetrics(reply: import('fastify').FastifyReply): Promise<unknown> {
    const body = await this.metrics.registry.metrics();
    return reply.type(this.metrics.registry.contentType).send(body);
  }

  #metricsAuthorized(header: string | undefined): boolean {
    const want = this.options.metricsToken;
    if (want === undefined || header === undefined || !header.startsWith('Bearer ')) return false;
    const got = Buffer.from(header.slice(7));
    const exp = Buffer.from(want);
    return got.length === exp.length && timingSafeEqual(got, exp);
  }

  /**
   * Graceful shutdown: /readyz turns 503, new upgrades are refused, subscriber queues drain
   * (up to drainTimeoutMs), sockets close with 1001, then the bus and HTTP server close.
   */
  async close(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    const wasRunning = this.#state === 'running';
    this.#state = 'closing';
    if (this.#relay) await this.#relay.drain(this.options.drainTimeoutMs);
    if (this.#ownsBus) await this.#bus?.close();
    if (wasRunning) await this.#app.close();
    await this.#metricsApp?.close();
    this.#wss.close();
    this.#state = 'closed';
    this.log.info('relay closed');
  }
}

/** Creates (does not start) a relay server; options are validated here. */
export function createRelayServer(
  options: Partial<RelayServerOptions> & { tokenSecret: string },
): RelayServer {
  return new RelayServer(options);
}
