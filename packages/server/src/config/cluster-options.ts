import { MIN_SECRET_BYTES } from '../auth/token.js';
import { type BusCredentials, redactBusUrl, resolveBusCredentials } from '../bus/bus-credentials.js';

/** Cluster and bus-auth fields of RelayServerOptions (validated by {@link checkClusterOptions}). */
export interface ClusterOptionFields {
  busUrl: string;
  bus: unknown;
  busUser: string | undefined;
  busPassword: string | undefined;
  busToken: string | undefined;
  busNkeySeed: string | undefined;
  busSecret: string | undefined;
  clusterHeartbeatMs: number;
  nodeTimeoutMs: number;
  clusterSyncIntervalMs: number;
}

const SECRET_KEYS = ['busUser', 'busPassword', 'busToken', 'busNkeySeed', 'busSecret'] as const;

/** The bus credentials named by the options. */
export function busCredentials(o: ClusterOptionFields): BusCredentials {
  return { user: o.busUser, password: o.busPassword, token: o.busToken, nkeySeed: o.busNkeySeed };
}

/**
 * Checks the bus URL, bus credentials, cluster secret and liveness timing together. Messages
 * never contain a secret (URLs are redacted).
 * @throws TypeError for wrong types, RangeError for values out of range or combinations that
 *   cannot work (e.g. a token for Redis, credentials for the memory bus).
 */
export function checkClusterOptions(o: ClusterOptionFields): void {
  if (!/^(memory|nats:\/\/.+|redis:\/\/.+)$/.test(o.busUrl)) {
    throw new RangeError(
      `busUrl must be 'memory', 'nats://...' or 'redis://...', got '${redactBusUrl(o.busUrl)}'`,
    );
  }
  for (const key of SECRET_KEYS) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0))
      throw new TypeError(`${key} must be a non-empty string`);
  }
  if (o.busSecret !== undefined && Buffer.byteLength(o.busSecret) < MIN_SECRET_BYTES) {
    throw new RangeError(`busSecret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  // With a bus instance the URL and its credentials are not used.
  if (o.bus === undefined) resolveBusCredentials(o.busUrl, busCredentials(o));
  if (o.nodeTimeoutMs < 2 * o.clusterHeartbeatMs) {
    throw new RangeError('nodeTimeoutMs must be at least 2 x clusterHeartbeatMs');
  }
}
