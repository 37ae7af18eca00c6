import type { RelayServerOptions } from './options.js';

type Kind = 'int' | 'bool' | 'string';

/** Flag, environment variable and type of each configurable option. */
const SPEC = {
  tokenSecret: ['--token-secret', 'SEMFACE_TOKEN_SECRET', 'string'],
  tokenIssuer: ['--token-issuer', 'SEMFACE_TOKEN_ISSUER', 'string'],
  host: ['--host', 'SEMFACE_RELAY_HOST', 'string'],
  port: ['--port', 'SEMFACE_RELAY_PORT', 'int'],
  path: ['--path', 'SEMFACE_RELAY_PATH', 'string'],
  devTokenEndpoint: ['--dev-token-endpoint', 'SEMFACE_RELAY_DEV_TOKEN_ENDPOINT', 'bool'],
  maxMessageBytes: ['--max-message-bytes', 'SEMFACE_RELAY_MAX_MESSAGE_BYTES', 'int'],
  hardMaxMessageBytes: ['--hard-max-message-bytes', 'SEMFACE_RELAY_HARD_MAX_MESSAGE_BYTES', 'int'],
  highWaterBytes: ['--high-water-bytes', 'SEMFACE_RELAY_HIGH_WATER_BYTES', 'int'],
  maxQueueMessages: ['--max-queue-messages', 'SEMFACE_RELAY_MAX_QUEUE_MESSAGES', 'int'],
  maxQueueBytes: ['--max-queue-bytes', 'SEMFACE_RELAY_MAX_QUEUE_BYTES', 'int'],
  heartbeatIntervalMs: ['--heartbeat-ms', 'SEMFACE_RELAY_HEARTBEAT_MS', 'int'],
  helloTimeoutMs: ['--hello-timeout-ms', 'SEMFACE_RELAY_HELLO_TIMEOUT_MS', 'int'],
  rateLimitMessagesPerSecond: ['--rate-messages', 'SEMFACE_RELAY_RATE_MESSAGES', 'int'],
  rateLimitBurstMessages: ['--rate-burst-messages', 'SEMFACE_RELAY_RATE_BURST_MESSAGES', 'int'],
  rateLimitBytesPerSecond: ['--rate-bytes', 'SEMFACE_RELAY_RATE_BYTES', 'int'],
  rateLimitBurstBytes: ['--rate-burst-bytes', 'SEMFACE_RELAY_RATE_BURST_BYTES', 'int'],
  maxConnections: ['--max-connections', 'SEMFACE_RELAY_MAX_CONNECTIONS', 'int'],
  maxRoomMembers: ['--max-room-members', 'SEMFACE_RELAY_MAX_ROOM_MEMBERS', 'int'],
  drainTimeoutMs: ['--drain-timeout-ms', 'SEMFACE_RELAY_DRAIN_TIMEOUT_MS', 'int'],
  busUrl: ['--bus', 'SEMFACE_RELAY_BUS', 'string'],
  nodeId: ['--node-id', 'SEMFACE_RELAY_NODE_ID', 'string'],
  logLevel: ['--log-level', 'SEMFACE_LOG_LEVEL', 'string'],
  maxTokenTtlSeconds: ['--max-token-ttl', 'SEMFACE_RELAY_MAX_TOKEN_TTL', 'int'],
  tokenClockSkewSeconds: ['--token-clock-skew', 'SEMFACE_RELAY_TOKEN_CLOCK_SKEW', 'int'],
  maxConnectionsPerIp: ['--max-connections-per-ip', 'SEMFACE_RELAY_MAX_CONNECTIONS_PER_IP', 'int'],
  maxConnectionsPerIdentity: [
    '--max-connections-per-identity',
    'SEMFACE_RELAY_MAX_CONNECTIONS_PER_IDENTITY',
    'int',
  ],
  controlMessagesPerSecond: ['--rate-control', 'SEMFACE_RELAY_RATE_CONTROL', 'int'],
  controlBurstMessages: ['--rate-burst-control', 'SEMFACE_RELAY_RATE_BURST_CONTROL', 'int'],
  rejectedMessagesPerSecond: ['--rate-rejected', 'SEMFACE_RELAY_RATE_REJECTED', 'int'],
  rejectedBurstMessages: ['--rate-burst-rejected', 'SEMFACE_RELAY_RATE_BURST_REJECTED', 'int'],
  keyFrameRequestIntervalMs: ['--key-request-interval-ms', 'SEMFACE_RELAY_KEY_REQUEST_INTERVAL_MS', 'int'],
  maxCachedFramesPerPublisher: [
    '--max-cached-frames-per-publisher',
    'SEMFACE_RELAY_MAX_CACHED_FRAMES_PER_PUBLISHER',
    'int',
  ],
  maxCachedBytesPerRoom: ['--max-cached-bytes-per-room', 'SEMFACE_RELAY_MAX_CACHED_BYTES_PER_ROOM', 'int'],
  maxCachedFrameBytes: ['--max-cached-frame-bytes', 'SEMFACE_RELAY_MAX_CACHED_FRAME_BYTES', 'int'],
  httpHeadersTimeoutMs: ['--headers-timeout-ms', 'SEMFACE_RELAY_HEADERS_TIMEOUT_MS', 'int'],
  metricsPort: ['--metrics-port', 'SEMFACE_RELAY_METRICS_PORT', 'int'],
  metricsHost: ['--metrics-host', 'SEMFACE_RELAY_METRICS_HOST', 'string'],
  metricsToken: ['--metrics-token', 'SEMFACE_RELAY_METRICS_TOKEN', 'string'],
  maxBundleIntervalMs: ['--max-bundle-interval-ms', 'SEMFACE_RELAY_MAX_BUNDLE_INTERVAL_MS', 'int'],
  maxTracksPerPublisher: ['--max-tracks-per-publisher', 'SEMFACE_RELAY_MAX_TRACKS_PER_PUBLISHER', 'int'],
  busUser: ['--bus-user', 'SEMFACE_RELAY_BUS_USER', 'string'],
  busPassword: ['--bus-password', 'SEMFACE_RELAY_BUS_PASSWORD', 'string'],
  busToken: ['--bus-token', 'SEMFACE_RELAY_BUS_TOKEN', 'string'],
  busNkeySeed: ['--bus-nkey-seed', 'SEMFACE_RELAY_BUS_NKEY_SEED', 'string'],
  busSecret: ['--bus-secret', 'SEMFACE_RELAY_BUS_SECRET', 'string'],
  clusterHeartbeatMs: ['--cluster-heartbeat-ms', 'SEMFACE_RELAY_CLUSTER_HEARTBEAT_MS', 'int'],
  nodeTimeoutMs: ['--node-timeout-ms', 'SEMFACE_RELAY_NODE_TIMEOUT_MS', 'int'],
  clusterSyncIntervalMs: ['--cluster-sync-interval-ms', 'SEMFACE_RELAY_CLUSTER_SYNC_INTERVAL_MS', 'int'],
} as const satisfies Partial<Record<keyof RelayServerOptions, readonly [string, string, Kind]>>;

/** Environment variables read by {@link relayOptionsFromArgs}, by option. */
export const RELAY_ENV_VARS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(SPEC).map(([k, [, env]]) => [k, env])),
);

function parse(name: string, kind: Kind, raw: string): string | number | boolean {
  if (kind === 'string') return raw;
  if (kind === 'bool') {
    if (raw === 'true' || raw === '1' || raw === '') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new TypeError(`${name} must be true or false, got '${raw}'`);
  }
  if (!/^-?\d+$/.test(raw)) throw new TypeError(`${name} must be an integer, got '${raw}'`);
  return Number(raw);
}

/**
 * Builds relay options from flags (`--port 8080`, `--port=8080`, bare `--dev-token-endpoint`)
 * over environment variables (flags win). Values are validated later by resolveRelayOptions.
 * @throws TypeError for unknown flags or unparsable values.
 */
export function relayOptionsFromArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Partial<RelayServerOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, [flag, name, kind]] of Object.entries(SPEC)) {
    const v = env[name];
    if (v !== undefined && v !== '') out[key] = parse(name, kind, v);
    void flag;
  }
  const byFlag = new Map<string, { key: string; kind: Kind }>(
    Object.entries(SPEC).map(([key, [flag, , kind]]) => [flag, { key, kind }]),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = byFlag.get(flag);
    if (!spec) throw new TypeError(`unknown option '${flag}'`);
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (spec.kind === 'bool')
      raw = argv[i + 1] === 'true' || argv[i + 1] === 'false' ? argv[++i]! : 'true';
    else {
      const next = argv[++i];
      if (next === undefined) throw new TypeError(`option '${flag}' needs a value`);
      raw = next;
    }
    out[spec.key] = parse(flag, spec.kind, raw);
  }
  return out as Partial<RelayServerOptions>;
}
