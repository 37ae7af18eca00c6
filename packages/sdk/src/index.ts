/**
 * semface client SDK: connect to a relay, publish face descriptors, receive other participants'
 * descriptors as typed events. The core uses only web-platform APIs (WebSocket, AbortSignal,
 * performance); in Node the `ws` package is loaded when no global WebSocket exists.
 */
export { connect, relayUrl } from './connect.js';
export { Room, type RoomState, type PublishOptions, type PublishedFrame } from './room/room.js';
export type {
  DescriptorEvent,
  DescriptorHead,
  IdentityCodeEvent,
  Participant,
  RoomEvents,
} from './room/events.js';
export {
  type ConnectOptions,
  type MotionLayerChoice,
  type PartialProfileModel,
  type ResolvedConnectOptions,
  type TokenSource,
  AUTO_LATENT_BELOW_KBPS,
  DEFAULT_CONNECT_OPTIONS,
  resolveConnectOptions,
  resolveMotionLayer,
} from './options/connect-options.js';
export { type SdkLogger, SILENT_LOGGER } from './options/logger.js';
export {
  type ReconnectOptions,
  DEFAULT_RECONNECT_OPTIONS,
  backoffDelay,
  resolveReconnectOptions,
} from './connection/backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './connection/websocket.js';
export { loadDefaultCodec } from './codec/default-codec.js';
export { TEMPORAL_MODEL_ID_PREFIX, isTemporalModelId } from './media/stream-publisher.js';
export { TypedEmitter, type Listener } from './events/typed-emitter.js';
export {
  SdkErrorCode,
  type SdkErrorCodeValue,
  type SdkErrorName,
  SemfaceSdkError,
  RelayError,
  ConnectError,
  TimeoutError,
  AbortedError,
  RoomDisposedError,
  NotJoinedError,
  NotAllowedError,
  InvalidDescriptorError,
  EncodeError,
  FrameDecodeError,
  ReconnectFailedError,
  ProtocolError,
  ListenerError,
  CodecUnavailableError,
  RemoteLimitError,
  type RemoteLimitName,
} from './errors.js';
export * from './heads/index.js';
export { RigModelError, BridgeError, LiveLinkCsvError } from './errors.js';
export * from './rig/index.js';
export { MAX_BUNDLE_BYTES, type OscTarget, OscUdpSender, parseOscTarget } from './rig/osc-udp.js';
export {
  AvatarBridge,
  type AvatarBridgeOptions,
  type DescriptorSource,
} from './rig/avatar-bridge.js';
// The descriptor layout and the one error base, so apps need no second package for them.
export { DESCRIPTOR_LENGTH, DescriptorField } from './codec/layout.js';
export { SemfaceError } from '@semface/protocol/errors';
