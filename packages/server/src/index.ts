export { createRelayServer, RelayServer, type RelayAddress } from './http/relay-server.js';
export {
  DEFAULT_RELAY_OPTIONS,
  resolveRelayOptions,
  isLoopbackHost,
  isLoopbackAddress,
  type RelayServerOptions,
  type ResolvedRelayOptions,
} from './config/options.js';
export { relayOptionsFromArgs, RELAY_ENV_VARS } from './config/from-args.js';
export {
  mintToken,
  TokenVerifier,
  DEFAULT_TOKEN_ISSUER,
  TOKEN_AUDIENCE,
  MIN_SECRET_BYTES,
  type Grants,
  type MintTokenOptions,
  type TokenLifetimeLimits,
} from './auth/token.js';
export type { Bus, BusHandler, BusUnsubscribe } from './bus/bus.js';
export { InProcessBus } from './bus/in-process-bus.js';
export { NatsBus, type NatsBusOptions } from './bus/nats-bus.js';
export { RedisBus, type RedisBusOptions } from './bus/redis-bus.js';
export { createBus } from './bus/create-bus.js';
export { type BusCredentials, redactBusUrl, splitBusUrl } from './bus/bus-credentials.js';
export {
  BusCodec,
  deriveBusKey,
  roomChannelLabel,
  CLUSTER_CHANNEL_LABEL,
  BUS_FRAMING_VERSION,
  BUS_HEADER_BYTES,
} from './bus/bus-codec.js';
export { ClusterLimits } from './cluster/limits.js';
export type { BusRejectReason } from './cluster/reject-reason.js';
export { Relay } from './relay/relay.js';
export { RelayMetrics } from './metrics/relay-metrics.js';
export {
  installProcessGuards,
  type GuardedServer,
  type ProcessGuardOptions,
} from './process/process-guards.js';
export {
  SemfaceServerError,
  RelayError,
  TokenInvalidError,
  TokenExpiredError,
  BusError,
  ServerStateError,
} from './errors.js';
