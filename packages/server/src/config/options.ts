import { RELAY_PATH, WireLimits } from '@semface/protocol';
import type { Logger } from 'pino';
import { MIN_SECRET_BYTES } from '../auth/token.js';
import type { Bus } from '../bus/bus.js';

/** Options of {@link createRelayServer}. Every field except `tokenSecret` has a default. */
export interface RelayServerOptions {
  /** HS256 secret for access tokens, at least 32 bytes. Required. */
  tokenSecret: string;
  /** Expected JWT issuer. Default `semface`. */
  tokenIssuer: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  host: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port: number;
  /** WebSocket path of the relay. Default `/v1/relay`. */
  path: string;
  /** Serve `POST /v1/dev/token` (mints tokens for anyone: development only). Default false. */
  devTokenEndpoint: boolean;
  /** Largest Envelope accepted, bytes; larger ones get SEMFACE_ERR_RELAY_MESSAGE_TOO_LARGE. Default 65536. */
  maxMessageBytes: number;
  /** Hard WebSocket message limit (`ws` maxPayload), bytes; larger ones close with 1009. Default 262144. */
  hardMaxMessageBytes: number;
  /** Socket write backlog (ws bufferedAmount) above which frames queue in the relay, bytes. Default 65536. */
  highWaterBytes: number;
  /** Most messages queued per subscriber before deltas are dropped / the peer is cut. Default 256. */
  maxQueueMessages: number;
  /** Most bytes queued per subscriber before deltas are dropped / the peer is cut. Default 1048576. */
  maxQueueBytes: number;
  /** Period of WebSocket pings; a peer that misses one is dropped, ms. Default 15000. */
  heartbeatIntervalMs: number;
  /** Time allowed between connect and Hello, ms. Default 5000. */
  helloTimeoutMs: number;
  /** Sustained messages per second per connection. Default 200. */
  rateLimitMessagesPerSecond: number;
  /** Message burst per connection. Default 400. */
  rateLimitBurstMessages: number;
  /** Sustained inbound bytes per second per connection. Default 1048576. */
  rateLimitBytesPerSecond: number;
  /** Inbound byte burst per connection. Default 2097152. */
  rateLimitBurstBytes: number;
  /** Most open connections per node. Default 10000. */
  maxConnections: number;
  /** Most members per room on one node. Default 64. */
  maxRoomMembers: number;
  /** Time allowed for queues to drain on shutdown before sockets are cut, ms. Default 5000. */
  drainTimeoutMs: number;
  /** Scale-out bus URL: `memory`, `nats://host:port` or `redis://host:port`. Ignored if `bus` is set. Default `memory`. */
  busUrl: string;
  /** Bus instance (overrides `busUrl`); the server closes it on shutdown only if it created it. Default none. */
  bus: Bus | undefined;
  /** Node id, unique in the cluster. Default random. */
  nodeId: string | undefined;
  /** pino level. Default `info`. */
  logLevel: string;
  /** pino logger to use instead of a new one. Default none. */
  logger: Logger | undefined;
}

/** Defaults of {@link RelayServerOptions} (tokenSecret has none). */
export const DEFAULT_RELAY_OPTIONS: Readonly<Omit<RelayServerOptions, 'tokenSecret'>> = Object.freeze({
  tokenIssuer: 'semface',
  host: '127.0.0.1',
  port: 8080,
  path: RELAY_PATH,
  devTokenEndpoint: false,
  maxMessageBytes: WireLimits.maxMessageBytes,
  hardMaxMessageBytes: 256 * 1024,
  highWaterBytes: 64 * 1024,
  maxQueueMessages: 256,
  maxQueueBytes: 1024 * 1024,
  heartbeatIntervalMs: 15_000,
  helloTimeoutMs: 5_000,
  rateLimitMessagesPerSecond: 200,
  rateLimitBurstMessages: 400,
  rateLimitBytesPerSecond: 1024 * 1024,
  rateLimitBurstBytes: 2 * 1024 * 1024,
  maxConnections: 10_000,
  maxRoomMembers: 64,
  drainTimeoutMs: 5_000,
  busUrl: 'memory',
  bus: undefined,
  nodeId: undefined,
  logLevel: 'info',
  logger: undefined,
});

/** Integer options with their inclusive ranges. */
const INT_RANGES = {
  port: [0, 65535],
  maxMessageBytes: [256, 16 * 1024 * 1024],
  hardMaxMessageBytes: [256, 64 * 1024 * 1024],
  highWaterBytes: [1024, 64 * 1024 * 1024],
  maxQueueMessages: [1, 1_000_000],
  maxQueueBytes: [1024, 1024 * 1024 * 1024],
  heartbeatIntervalMs: [100, 3_600_000],
  helloTimeoutMs: [10, 600_000],
  rateLimitMessagesPerSecond: [1, 1_000_000],
  rateLimitBurstMessages: [1, 10_000_000],
  rateLimitBytesPerSecond: [1024, 1024 * 1024 * 1024],
  rateLimitBurstBytes: [1024, 1024 * 1024 * 1024],
  maxConnections: [1, 10_000_000],
  maxRoomMembers: [2, 100_000],
  drainTimeoutMs: [0, 600_000],
} as const satisfies Partial<Record<keyof RelayServerOptions, readonly [number, number]>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Fully resolved, frozen options. */
export type ResolvedRelayOptions = Readonly<RelayServerOptions>;

/**
 * Merges `input` over the defaults and validates once.
 * @throws TypeError for wrong types or unknown keys, RangeError for out-of-range values.
 */
export function resolveRelayOptions(
  input: Partial<RelayServerOptions> & { tokenSecret: string },
): ResolvedRelayOptions {
  if (input === null || typeof input !== 'object') throw new TypeError('options must be an object');
  for (const key of Object.keys(input)) {
    if (key !== 'tokenSecret' && !(key in DEFAULT_RELAY_OPTIONS))
      throw new TypeError(`unknown option '${key}'`);
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULT_RELAY_OPTIONS, ...defined } as RelayServerOptions;
  if (typeof o.tokenSecret !== 'string') throw new TypeError('tokenSecret must be a string');
  if (Buffer.byteLength(o.tokenSecret) < MIN_SECRET_BYTES) {
    throw new RangeError(`tokenSecret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  for (const [key, [lo, hi]] of Object.entries(INT_RANGES)) {
    const v = o[key as keyof typeof INT_RANGES];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${key} must be an integer`);
    if (v < lo || v > hi) throw new RangeError(`${key} must be in [${lo}, ${hi}], got ${v}`);
  }
  for (const key of ['host', 'path', 'tokenIssuer', 'busUrl', 'logLevel'] as const) {
    if (typeof o[key] !== 'string' || o[key].length === 0)
      throw new TypeError(`${key} must be a non-empty string`);
  }
  if (typeof o.devTokenEndpoint !== 'boolean') throw new TypeError('devTokenEndpoint must be a boolean');
  if (!o.path.startsWith('/')) throw new RangeError(`path must start with '/'`);
  if (!LOG_LEVELS.includes(o.logLevel))
    throw new RangeError(`logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  if (!/^(memory|nats:\/\/.+|redis:\/\/.+)$/.test(o.busUrl)) {
    throw new RangeError(`busUrl must be 'memory', 'nats://...' or 'redis://...', got '${o.busUrl}'`);
  }
  if (o.nodeId !== undefined && (typeof o.nodeId !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(o.nodeId))) {
    throw new TypeError('nodeId must match [A-Za-z0-9_-]{1,32}');
  }
  if (o.maxMessageBytes > o.hardMaxMessageBytes) {
    throw new RangeError('maxMessageBytes must not exceed hardMaxMessageBytes');
  }
  if (o.rateLimitBurstMessages < o.rateLimitMessagesPerSecond / 10) {
    throw new RangeError('rateLimitBurstMessages too small for rateLimitMessagesPerSecond');
  }
  if (o.rateLimitBurstBytes < o.maxMessageBytes) {
    throw new RangeError('rateLimitBurstBytes must be at least maxMessageBytes');
  }
  return Object.freeze(o);
}
