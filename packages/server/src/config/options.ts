import { RELAY_PATH, WireLimits } from '@semface/protocol';
import type { Logger } from 'pino';
import { MIN_SECRET_BYTES } from '../auth/token.js';
import type { Bus } from '../bus/bus.js';
import { checkClusterOptions } from './cluster-options.js';

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
  // ---- hostile-peer limits (docs/security.md) ----
  /** Longest accepted token lifetime (`exp - iat`, or `exp - now` without `iat`), seconds. Default 86400. */
  maxTokenTtlSeconds: number;
  /** Clock difference tolerated on `iat` / `exp`, seconds. Default 30. */
  tokenClockSkewSeconds: number;
  /** Most open connections per client IP address; more get HTTP 429. Default 64. */
  maxConnectionsPerIp: number;
  /** Most open connections per token identity (`sub`); more are closed with 4015. Default 8. */
  maxConnectionsPerIdentity: number;
  /** Sustained control messages (Join, Leave, KeyFrameRequest, Ping) per second per connection. Default 20. */
  controlMessagesPerSecond: number;
  /** Control message burst per connection. Default 100. */
  controlBurstMessages: number;
  /** Rejected messages (errors the client caused) per second a connection may sustain before it is closed with 4008. Default 5. */
  rejectedMessagesPerSecond: number;
  /** Rejected message burst before the connection is closed with 4008. Default 50. */
  rejectedBurstMessages: number;
  /** Shortest time between two key-frame requests forwarded to one publisher stream, ms (others are coalesced). Default 200. */
  keyFrameRequestIntervalMs: number;
  /** Most cached key/identity frames (stream x kind) per publisher in a room. Default 16. */
  maxCachedFramesPerPublisher: number;
  /** Most bytes of cached key/identity frames per room on this node. Default 2097152. */
  maxCachedBytesPerRoom: number;
  /** Largest frame that is cached for late joiners, bytes (larger ones are forwarded, not cached). Default 16384. */
  maxCachedFrameBytes: number;
  /** Time allowed for an HTTP request's headers (incl. the WebSocket upgrade), ms. Default 10000. */
  httpHeadersTimeoutMs: number;
  /** Serve /metrics on this separate port (on `metricsHost`) instead of the public one. Default none. */
  metricsPort: number | undefined;
  /** Interface of the metrics listener. Default `127.0.0.1`. */
  metricsHost: string;
  /** Bearer token that opens /metrics on the public port to non-loopback clients. Default none (loopback only). */
  metricsToken: string | undefined;
  /** Longest bundle interval a v2 client may ask for (Hello.bundle_interval_ms is clamped to it), ms. Default 200. */
  maxBundleIntervalMs: number;
  /** Most tracks a v2 publisher may announce on one connection. Default 32. */
  maxTracksPerPublisher: number;
  // ---- cluster link: bus authentication, message signing, liveness (docs/security.md) ----
  /** Bus user: NATS user or Redis ACL user; needs `busPassword`. Default none. */
  busUser: string | undefined;
  /** Bus password: with `busUser`, or alone for Redis `requirepass`. Default none. */
  busPassword: string | undefined;
  /** NATS authorization token. Default none. */
  busToken: string | undefined;
  /** NATS user nkey seed (`SU...`). Default none. */
  busNkeySeed: string | undefined;
  /** Cluster secret that signs bus messages (HMAC-SHA256), at least 32 bytes; every node needs the same. Default: derived from `tokenSecret`. */
  busSecret: string | undefined;
  /** Period of node heartbeats on the bus cluster channel, ms. Default 1000. */
  clusterHeartbeatMs: number;
  /** A node not heard for this long is dead: its peers leave and its cached frames are dropped, ms. Default 3000. */
  nodeTimeoutMs: number;
  /** Shortest time between two room sync requests of this node (and between two answers to one node), ms. Default 1000. */
  clusterSyncIntervalMs: number;
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
  maxTokenTtlSeconds: 86_400,
  tokenClockSkewSeconds: 30,
  maxConnectionsPerIp: 64,
  maxConnectionsPerIdentity: 8,
  controlMessagesPerSecond: 20,
  controlBurstMessages: 100,
  rejectedMessagesPerSecond: 5,
  rejectedBurstMessages: 50,
  keyFrameRequestIntervalMs: 200,
  maxCachedFramesPerPublisher: 16,
  maxCachedBytesPerRoom: 2 * 1024 * 1024,
  maxCachedFrameBytes: 16 * 1024,
  httpHeadersTimeoutMs: 10_000,
  metricsPort: undefined,
  metricsHost: '127.0.0.1',
  metricsToken: undefined,
  maxBundleIntervalMs: 200,
  maxTracksPerPublisher: 32,
  busUser: undefined,
  busPassword: undefined,
  busToken: undefined,
  busNkeySeed: undefined,
  busSecret: undefined,
  clusterHeartbeatMs: 1_000,
  nodeTimeoutMs: 3_000,
  clusterSyncIntervalMs: 1_000,
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
  maxTokenTtlSeconds: [60, 366 * 86_400],
  tokenClockSkewSeconds: [0, 3_600],
  maxConnectionsPerIp: [1, 10_000_000],
  maxConnectionsPerIdentity: [1, 10_000_000],
  controlMessagesPerSecond: [1, 1_000_000],
  controlBurstMessages: [1, 10_000_000],
  rejectedMessagesPerSecond: [1, 1_000_000],
  rejectedBurstMessages: [1, 10_000_000],
  keyFrameRequestIntervalMs: [0, 60_000],
  maxCachedFramesPerPublisher: [1, 2 * 256 * 4],
  maxCachedBytesPerRoom: [1024, 1024 * 1024 * 1024],
  maxCachedFrameBytes: [256, 16 * 1024 * 1024],
  httpHeadersTimeoutMs: [100, 600_000],
  maxBundleIntervalMs: [0, 1_000],
  maxTracksPerPublisher: [1, 3 * 256],
  clusterHeartbeatMs: [50, 60_000],
  nodeTimeoutMs: [100, 600_000],
  clusterSyncIntervalMs: [10, 60_000],
} as const satisfies Partial<Record<keyof RelayServerOptions, readonly [number, number]>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** True for loopback interface names and addresses (`localhost`, 127.0.0.0/8, `::1`). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** True for a socket's remote address on the loopback interface (IPv4, IPv6 or IPv4-mapped). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

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
  for (const key of ['host', 'path', 'tokenIssuer', 'busUrl', 'logLevel', 'metricsHost'] as const) {
    if (typeof o[key] !== 'string' || o[key].length === 0)
      throw new TypeError(`${key} must be a non-empty string`);
  }
  if (typeof o.devTokenEndpoint !== 'boolean') throw new TypeError('devTokenEndpoint must be a boolean');
  if (!o.path.startsWith('/')) throw new RangeError(`path must start with '/'`);
  if (!LOG_LEVELS.includes(o.logLevel))
    throw new RangeError(`logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  checkClusterOptions(o);
  if (o.nodeId !== undefined && (typeof o.nodeId !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(o.nodeId))) {
    throw new TypeError('nodeId must match [A-Za-z0-9_-]{1,32}');
  }
  if (o.metricsPort !== undefined) {
    if (typeof o.metricsPort !== 'number' || !Number.isInteger(o.metricsPort))
      throw new TypeError('metricsPort must be an integer');
    if (o.metricsPort < 0 || o.metricsPort > 65535) throw new RangeError('metricsPort must be in [0, 65535]');
  }
  if (o.metricsToken !== undefined) {
    if (typeof o.metricsToken !== 'string') throw new TypeError('metricsToken must be a string');
    if (Buffer.byteLength(o.metricsToken) < 16)
      throw new RangeError('metricsToken must be at least 16 bytes');
  }
  // A dev token endpoint mints tokens for anyone who can reach it: never on a public interface.
  if (o.devTokenEndpoint && !isLoopbackHost(o.host)) {
    throw new RangeError(`devTokenEndpoint needs a loopback host, got '${o.host}'`);
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
