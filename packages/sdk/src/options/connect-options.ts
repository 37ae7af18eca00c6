import {
  type MotionLayerName,
  PortableSemfaceCodec,
  STREAM_CODING_NAMES,
  type StreamCodingName,
  type TaskLabel,
} from '@semface/codec-core/portable';
import { WireLimits } from '@semface/protocol';
import { type ReconnectOptions, resolveReconnectOptions } from '../connection/backoff.js';
import type { WebSocketConstructor } from '../connection/websocket.js';
import type { CoderName } from '../codec/layout.js';
import { SILENT_LOGGER, type SdkLogger, isSdkLogger } from './logger.js';

/** A relay access token, or a function returning a fresh one (called on every (re)connect). */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of {@link connect}. Only `token` is required. */
export interface ConnectOptions {
  /** Relay access token (JWT), or a function returning one for each (re)connect. Required. */
  token: TokenSource;
  /**
   * Room to join. Default: the token's room; when the token grants any room (`*`) and this is unset,
   * no room is joined until `room.join(name)`.
   */
  room?: string;
  /** Aborting cancels `connect` and, once connected, disposes the room. Default none. */
  signal?: AbortSignal;
  /** Structured logger (pino-compatible). Default: silent. */
  logger?: SdkLogger;
  /** Back-off of automatic reconnects, or `false` to never reconnect. Default {@link DEFAULT_RECONNECT_OPTIONS}. */
  reconnect?: Partial<ReconnectOptions> | false;
  /**
   * Descriptor codec used to encode and decode: a codec-core codec (`SemfaceCodec.load({ modelsDir })`,
   * or `loadBrowserCodec` in browsers). Default: `SemfaceCodec` of @semface/codec-core with the models
   * shipped in that package, loaded on first use (Node only).
   */
  codec?: PortableSemfaceCodec;
  /**
   * How 'full'-profile frames are coded: `temporal` (layered temporal stream: identity layer on key
   * frames and when it changes, per-frame layer as residuals, rate-controlled to `targetKbps`) or `intra`
   * (every frame on its own, `rateIndex`/`coder`/`keyFrameInterval`). Other profiles and
   * `publishIdentity` are always intra. A codec without temporal coding falls back to intra (logged).
   * Receiving handles both whatever this says. Default `temporal`.
   */
  coding?: StreamCodingName;
  /** Temporal coding: rate-control target; 0 turns rate control off. Default 2. Unit: kbit/s. */
  targetKbps?: number;
  /**
   * Temporal coding: how the per-frame layer (expression, rotation, translation) is coded:
   * `transform` (fixed linear transform + uniform step, closed-loop integer prediction; lower error
   * at 1.5-2 kbit/s and above) or `latent` (the expression-profile model's latents; lower error below
   * ~1.5 kbit/s), or `auto`: `latent` for targets below {@link AUTO_LATENT_BELOW_KBPS} kbit/s, else
   * `transform`. Measured in docs/streaming.md. Default `auto`.
   */
  motionLayer?: MotionLayerChoice;
  /**
   * Temporal coding: a receiver task the encoder protects, e.g. `(d) => heads.expressionLabel(d)` with
   * {@link ReceiverHeads}: delta frames whose decoded descriptor would change the label are re-coded with
   * more precision, paid for by rate control (on the talking-head clips at 1 kbit/s, 97 % of frames keep
   * the expression head's label instead of 84 %: docs/streaming.md). Needs the transform layer (`auto`
   * picks it). Default: none.
   */
  taskLabel?: TaskLabel;
  /** Temporal coding: rate descriptors are published at (sets the per-frame budget and key spacing). Default 25. Unit: frame/s. */
  frameRate?: number;
  /** Temporal coding: time between periodic key frames; 0 = only the first and requested ones. Default 2. Unit: s. */
  keyFrameIntervalSeconds?: number;
  /** Intra coding: model rate index to encode with (0 = lowest rate). Default 0. */
  rateIndex?: number;
  /** Intra coding: entropy back-end to encode with: `rans` (every frame independent) or `ppm` (adaptive). Default `rans`. */
  coder?: CoderName;
  /** Intra coding: a key frame every this many frames of a stream; 0 = only the first and requested ones. Default 60. Unit: frames. */
  keyFrameInterval?: number;
  /**
   * Which models code the partial profiles (`publish(d, { profile: 'expression' | 'identity' })` and
   * `publishIdentity`): `own` (each profile's own models; fewest bits) or `full` (the full models carrying
   * only the profile's fields, so a codec needs no partial-profile models; about as accurate as sending
   * the full profile, with fewer bits: docs/eval.md). Receivers decode both. Default `own`.
   */
  partialProfileModel?: PartialProfileModel;
  /**
   * Privacy opt-in (issue 13): allow `room.publishIdentityCode(embedding)` to send a recognition-grade
   * identity code (biometric data, FRAME_KIND_IDENTITY_CODE). Off by default: without it nothing but the
   * 3DMM descriptor leaves the device, and `publishIdentityCode` throws. The relay forwards codes only to
   * subscribers whose token grants `identity_code`.
   */
  publishIdentityCode?: boolean;
  /** Rate point of published identity codes (index into the identity-code model; 3 = 256 bits). Default 3. */
  identityCodeRateIndex?: number;
  /** Period of Ping messages that measure round-trip time and keep the link checked. Default 5000. Unit: ms. */
  pingIntervalMs?: number;
  /** A link with no message from the relay for this long is treated as lost (reconnect); 0 disables. Default 20000. Unit: ms. */
  idleTimeoutMs?: number;
  /** Time allowed for opening the socket, the Welcome and the Joined answer, each. Default 10000. Unit: ms. */
  connectTimeoutMs?: number;
  /** Least time between two key-frame requests for one remote stream. Default 1000. Unit: ms. */
  keyFrameRequestIntervalMs?: number;
  /**
   * Most frames of one remote stream (lane) waiting to be decoded, of any kind. When full, a delta is
   * dropped, a key frame replaces the waiting frames (it makes them useless) and an identity frame the
   * waiting ones of its kind. Default 32. Unit: frames.
   */
  maxPendingFrames?: number;
  /**
   * Most streams (stream ids) of one remote participant that get decoders; frames of further streams
   * are dropped and reported once (`RemoteLimitError`). Default 8. Unit: streams.
   */
  maxRemoteStreams?: number;
  /** Most remote streams decoded in the room, all participants together; beyond it as above. Default 128. Unit: streams. */
  maxRemoteStreamsTotal?: number;
  /** Received frames with a larger payload are dropped and reported once (`RemoteLimitError`). Default 8192. Unit: bytes. */
  maxRemoteFrameBytes?: number;
  /**
   * Delta frames published while the socket's send buffer holds more than this are skipped (publish
   * returns null); key and identity frames always go. Default 262144. Unit: bytes.
   */
  sendBufferLimitBytes?: number;
  /**
   * Newest relay protocol to speak: 2 = compact frames (5 bytes of framing per frame instead of
   * ~70), 1 = every frame a protobuf Envelope. The relay answers with the version both speak.
   * Default 2.
   */
  protocolVersion?: 1 | 2;
  /**
   * Protocol v2 bundling: frames this client publishes wait up to this long and leave as one
   * WebSocket message, and the relay is asked to do the same for what it sends here (it clamps to
   * its maximum, 200 ms by default). Latency traded for packets; 0 = one message per frame.
   * Default 0. Unit: ms.
   */
  bundleIntervalMs?: number;
  /** Most tracks the relay may announce to this client (protocol v2). Default 1024. */
  maxRemoteTracks?: number;
  /** WebSocket implementation. Default `globalThis.WebSocket`, else the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Client name sent in Hello (relay logs only). Default `semface-sdk/0.1.0`. */
  client?: string;
}

/** Options after validation, with defaults filled in. */
export interface ResolvedConnectOptions {
  readonly token: TokenSource;
  readonly room: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly logger: SdkLogger;
  readonly reconnect: Readonly<ReconnectOptions> | false;
  readonly codec: PortableSemfaceCodec | undefined;
  readonly coding: StreamCodingName;
  readonly targetKbps: number;
  readonly motionLayer: MotionLayerChoice;
  readonly taskLabel: TaskLabel | undefined;
  readonly frameRate: number;
  readonly keyFrameIntervalSeconds: number;
  readonly rateIndex: number;
  readonly coder: CoderName;
  readonly keyFrameInterval: number;
  readonly partialProfileModel: PartialProfileModel;
  readonly publishIdentityCode: boolean;
  readonly identityCodeRateIndex: number;
  readonly pingIntervalMs: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly keyFrameRequestIntervalMs: number;
  readonly maxPendingFrames: number;
  readonly maxRemoteStreams: number;
  readonly maxRemoteStreamsTotal: number;
  readonly maxRemoteFrameBytes: number;
  readonly sendBufferLimitBytes: number;
  readonly protocolVersion: 1 | 2;
  readonly bundleIntervalMs: number;
  readonly maxRemoteTracks: number;
  readonly WebSocket: WebSocketConstructor | undefined;
  readonly client: string;
}

/** Defaults of the optional numeric and string options of {@link ConnectOptions}. */
export const DEFAULT_CONNECT_OPTIONS: Readonly<{
  coding: StreamCodingName;
  targetKbps: number;
  motionLayer: MotionLayerChoice;
  frameRate: number;
  keyFrameIntervalSeconds: number;
  rateIndex: number;
  coder: CoderName;
  keyFrameInterval: number;
  partialProfileModel: PartialProfileModel;
  pingIntervalMs: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  keyFrameRequestIntervalMs: number;
  maxPendingFrames: number;
  maxRemoteStreams: number;
  maxRemoteStreamsTotal: number;
  maxRemoteFrameBytes: number;
  sendBufferLimitBytes: number;
  protocolVersion: 1 | 2;
  bundleIntervalMs: number;
  maxRemoteTracks: number;
  client: string;
}> = Object.freeze({
  coding: 'temporal',
  targetKbps: 2,
  motionLayer: 'auto',
  frameRate: 25,
  keyFrameIntervalSeconds: 2,
  rateIndex: 0,
  coder: 'rans',
  keyFrameInterval: 60,
  partialProfileModel: 'own',
  pingIntervalMs: 5_000,
  idleTimeoutMs: 20_000,
  connectTimeoutMs: 10_000,
  keyFrameRequestIntervalMs: 1_000,
  maxPendingFrames: 32,
  maxRemoteStreams: 8,
  maxRemoteStreamsTotal: 128,
  // Coded frames are a few hundred bytes (a full-profile frame is well under 2 KiB): 4x headroom.
  maxRemoteFrameBytes: 8 * 1024,
  sendBufferLimitBytes: 256 * 1024,
  protocolVersion: 2,
  bundleIntervalMs: 0,
  maxRemoteTracks: 1024,
  client: 'semface-sdk/0.1.0',
});

const KNOWN_KEYS = new Set([
  'token',
  'room',
  'signal',
  'logger',
  'reconnect',
  'codec',
  'WebSocket',
  'publishIdentityCode',
  'identityCodeRateIndex',
  'taskLabel',
  ...Object.keys(DEFAULT_CONNECT_OPTIONS),
]);

/** Integer options with inclusive ranges. */
const INT_RANGES = {
  rateIndex: [0, 255],
  keyFrameInterval: [0, 1_000_000],
  pingIntervalMs: [50, 3_600_000],
  idleTimeoutMs: [0, 3_600_000],
  connectTimeoutMs: [10, 600_000],
  keyFrameRequestIntervalMs: [0, 600_000],
  maxPendingFrames: [1, 100_000],
  maxRemoteStreams: [1, WireLimits.maxStreamId + 1],
  maxRemoteStreamsTotal: [1, 1_000_000],
  maxRemoteFrameBytes: [64, 16 * 1024 * 1024],
  sendBufferLimitBytes: [0, 1024 * 1024 * 1024],
  protocolVersion: [1, 2],
  bundleIntervalMs: [0, 1_000],
  maxRemoteTracks: [1, 1_000_000],
} as const;

/** Non-integer numeric options with ranges: [low, high], low exclusive where marked. */
const NUMBER_RANGES = {
  targetKbps: [0, 10_000, false],
  frameRate: [0, 1_000, true],
  keyFrameIntervalSeconds: [0, 3_600, false],
} as const;

const CODERS: readonly string[] = ['rans', 'ppm'];
const CODINGS: readonly string[] = STREAM_CODING_NAMES;
const MOTION_LAYER_NAMES: readonly string[] = [
  'auto',
  'transform',
  'latent',
] satisfies readonly MotionLayerChoice[];

const PARTIAL_PROFILE_MODELS: readonly string[] = ['own', 'full'] satisfies readonly PartialProfileModel[];

/** Which models code partial profiles: each profile's own, or the full models carrying them. */
export type PartialProfileModel = 'own' | 'full';

/** The temporal stream's per-frame layer as the SDK takes it: a codec-core layer, or `auto`. */
export type MotionLayerChoice = MotionLayerName | 'auto';

/**
 * `auto` picks `latent` below this rate-control target: on the talking-head clips the two layers give
 * equal expression error at ~1.5 kbit/s (latent 0.410 at 1.45 kbit/s, transform 0.399 at 1.44), the
 * latent layer is better below it and the transform layer above (docs/streaming.md). Unit: kbit/s.
 */
export const AUTO_LATENT_BELOW_KBPS = 1.5;

/**
 * The per-frame layer `choice` means at rate-control target `targetKbps` (0 = rate control off); with a
 * task label `auto` is always `transform` (the only layer that can keep one).
 */
export function resolveMotionLayer(
  choice: MotionLayerChoice,
  targetKbps: number,
  taskLabel = false,
): MotionLayerName {
  if (choice !== 'auto') return choice;
  if (taskLabel) return 'transform';
  return targetKbps > 0 && targetKbps < AUTO_LATENT_BELOW_KBPS ? 'latent' : 'transform';
}

/**
 * Merges `input` over the defaults and validates once.
 * @throws TypeError for wrong types or unknown keys, RangeError for out-of-range values.
 */
export function resolveConnectOptions(input: ConnectOptions): ResolvedConnectOptions {
  if (input === null || typeof input !== 'object') throw new TypeError('options must be an object');
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) throw new TypeError(`unknown option '${key}'`);
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULT_CONNECT_OPTIONS, ...defined } as ConnectOptions & typeof DEFAULT_CONNECT_OPTIONS;
  if (typeof o.token === 'string') {
    if (o.token.length === 0) throw new RangeError('token must not be empty');
  } else if (typeof o.token !== 'function') {
    throw new TypeError('token must be a string or a function returning one');
  }
  if (o.room !== undefined && typeof o.room !== 'string') throw new TypeError('room must be a string');
  if (o.signal !== undefined && !isAbortSignal(o.signal))
    throw new TypeError('signal must be an AbortSignal');
  if (o.logger !== undefined && !isSdkLogger(o.logger))
    throw new TypeError('logger must have debug, info, warn and error methods');
  if (o.codec !== undefined && !(o.codec instanceof PortableSemfaceCodec))
    throw new TypeError('codec must be a codec of @semface/codec-core (SemfaceCodec, PortableSemfaceCodec)');
  if (o.WebSocket !== undefined && typeof o.WebSocket !== 'function')
    throw new TypeError('WebSocket must be a constructor');
  if (typeof o.client !== 'string') throw new TypeError('client must be a string');
  if (typeof o.coder !== 'string') throw new TypeError('coder must be a string');
  if (!CODERS.includes(o.coder)) throw new RangeError(`coder must be one of ${CODERS.join(', ')}`);
  if (typeof o.coding !== 'string') throw new TypeError('coding must be a string');
  if (!CODINGS.includes(o.coding)) throw new RangeError(`coding must be one of ${CODINGS.join(', ')}`);
  if (typeof o.motionLayer !== 'string') throw new TypeError('motionLayer must be a string');
  if (!MOTION_LAYER_NAMES.includes(o.motionLayer))
    throw new RangeError(`motionLayer must be one of ${MOTION_LAYER_NAMES.join(', ')}`);
  if (o.taskLabel !== undefined && typeof o.taskLabel !== 'function')
    throw new TypeError('taskLabel must be a function');
  if (o.taskLabel !== undefined && o.motionLayer === 'latent')
    throw new RangeError("taskLabel needs motionLayer 'transform' or 'auto'");
  if (typeof o.partialProfileModel !== 'string') throw new TypeError('partialProfileModel must be a string');
  if (!PARTIAL_PROFILE_MODELS.includes(o.partialProfileModel))
    throw new RangeError(`partialProfileModel must be one of ${PARTIAL_PROFILE_MODELS.join(', ')}`);
  for (const [key, [lo, hi, open]] of Object.entries(NUMBER_RANGES)) {
    const v = o[key as keyof typeof NUMBER_RANGES];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${key} must be a finite number`);
    if (v < lo || (open && v === lo) || v > hi)
      throw new RangeError(`${key} must be in ${open ? '(' : '['}${lo}, ${hi}], got ${v}`);
  }
  for (const [key, [lo, hi]] of Object.entries(INT_RANGES)) {
    const v = o[key as keyof typeof INT_RANGES];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${key} must be an integer`);
    if (v < lo || v > hi) throw new RangeError(`${key} must be in [${lo}, ${hi}], got ${v}`);
  }
  if (o.idleTimeoutMs !== 0 && o.idleTimeoutMs <= o.pingIntervalMs)
    throw new RangeError('idleTimeoutMs must exceed pingIntervalMs (or be 0)');
  const publishIdentityCode = o.publishIdentityCode ?? false;
  if (typeof publishIdentityCode !== 'boolean') throw new TypeError('publishIdentityCode must be a boolean');
  const identityCodeRateIndex = o.identityCodeRateIndex ?? 3;
  if (!Number.isInteger(identityCodeRateIndex) || identityCodeRateIndex < 0 || identityCodeRateIndex > 255)
    throw new RangeError(
      `identityCodeRateIndex must be an integer in [0, 255], got ${identityCodeRateIndex}`,
    );
  let reconnect: Readonly<ReconnectOptions> | false;
  if (o.reconnect === false) reconnect = false;
  else if (o.reconnect === undefined) reconnect = resolveReconnectOptions();
  else if (typeof o.reconnect === 'object') reconnect = resolveReconnectOptions(o.reconnect);
  else throw new TypeError('reconnect must be an object or false');
  return Object.freeze({
    token: o.token,
    room: o.room,
    signal: o.signal,
    logger: o.logger ?? SILENT_LOGGER,
    reconnect,
    codec: o.codec,
    coding: o.coding,
    targetKbps: o.targetKbps,
    motionLayer: o.motionLayer,
    taskLabel: o.taskLabel,
    frameRate: o.frameRate,
    keyFrameIntervalSeconds: o.keyFrameIntervalSeconds,
    rateIndex: o.rateIndex,
    coder: o.coder,
    keyFrameInterval: o.keyFrameInterval,
    partialProfileModel: o.partialProfileModel,
    publishIdentityCode,
    identityCodeRateIndex,
    pingIntervalMs: o.pingIntervalMs,
    idleTimeoutMs: o.idleTimeoutMs,
    connectTimeoutMs: o.connectTimeoutMs,
    keyFrameRequestIntervalMs: o.keyFrameRequestIntervalMs,
    maxPendingFrames: o.maxPendingFrames,
    maxRemoteStreams: o.maxRemoteStreams,
    maxRemoteStreamsTotal: o.maxRemoteStreamsTotal,
    maxRemoteFrameBytes: o.maxRemoteFrameBytes,
    sendBufferLimitBytes: o.sendBufferLimitBytes,
    protocolVersion: o.protocolVersion as 1 | 2,
    bundleIntervalMs: o.bundleIntervalMs,
    maxRemoteTracks: o.maxRemoteTracks,
    WebSocket: o.WebSocket,
    client: o.client,
  });
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const v = value as Partial<AbortSignal> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.aborted === 'boolean' &&
    typeof v.addEventListener === 'function'
  );
}
