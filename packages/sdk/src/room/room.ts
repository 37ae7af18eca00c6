import {
  ANY_ROOM,
  CloseCode,
  type DecodedEnvelope,
  FrameKind,
  type FrameKindName,
  PROTOCOL_VERSION,
  WireLimits,
  frameKindName,
  isValidRoomName,
  type semface,
  FrameCoding,
} from '@semface/protocol';
import {
  type DecodedFaceFrame,
  IDENTITY_CODE_HEADER_BYTES,
  IDENTITY_CODE_VERSION,
  type IdentityCodeModel,
  type PortableSemfaceCodec,
  STREAM_CODING_NAMES,
  type StreamCodingName,
  encodeIdentityCode,
  peekIdentityCode,
} from '@semface/codec-core/portable';
import { loadDefaultCodec } from '../codec/default-codec.js';
import { DESCRIPTOR_LENGTH, PROFILE_NAMES, type ProfileName } from '../codec/layout.js';
import { abortable, sleep } from '../connection/abortable.js';
import { backoffDelay } from '../connection/backoff.js';
import { type CloseInfo, RelaySocket } from '../connection/relay-socket.js';
import { resolveWebSocket } from '../connection/websocket.js';
import {
  AbortedError,
  CodecUnavailableError,
  ConnectError,
  EncodeError,
  FrameDecodeError,
  InvalidDescriptorError,
  ListenerError,
  NotAllowedError,
  NotJoinedError,
  ReconnectFailedError,
  RelayError,
  RoomDisposedError,
  SemfaceSdkError,
  TimeoutError,
} from '../errors.js';
import { type Listener, TypedEmitter } from '../events/typed-emitter.js';
import { type PublishLane, StreamPublisher, isTemporalModelId } from '../media/stream-publisher.js';
import { StreamReceiver } from '../media/stream-receiver.js';
import type { ResolvedConnectOptions } from '../options/connect-options.js';
import type {
  DescriptorEvent,
  DescriptorHead,
  IdentityCodeEvent,
  Participant,
  RoomEvents,
} from './events.js';
import { RemoteFrameGate } from './remote-frame-gate.js';

/** Lifecycle of a room. */
export type RoomState = 'connecting' | 'connected' | 'reconnecting' | 'disposed';

/** Options of {@link Room.publish}. */
export interface PublishOptions {
  /** Descriptor fields to send. Default 'full'. */
  readonly profile?: ProfileName;
  /** Stream id (several faces per publisher), 0..255. Default 0. */
  readonly stream?: number;
  /** 'auto' lets the SDK choose key/delta; 'key' forces a key frame; 'identity' = publishIdentity. Default 'auto'. */
  readonly kind?: 'auto' | 'key' | 'identity';
  /** Capture time on this machine's clock, Unix epoch microseconds. Default now. */
  readonly captureTimeUs?: number;
}

/** What {@link Room.publish} sent. */
export interface PublishedFrame {
  readonly stream: number;
  readonly seq: number;
  readonly kind: FrameKindName;
  readonly profile: ProfileName;
  readonly modelId: string;
  /** Size of the coded payload, in bits. */
  readonly bits: number;
  /** Capture time as sent (relay clock), Unix epoch microseconds. */
  readonly captureTimeUs: number;
}

/** Close codes after which reconnecting cannot help: the token or the client is refused. */
const AUTH_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unauthorized,
  CloseCode.tokenExpired,
  CloseCode.forbidden,
  CloseCode.unsupportedVersion,
]);

interface PendingJoin {
  readonly name: string;
  resolve(): void;
  reject(err: unknown): void;
}

interface Session {
  readonly participantId: string;
  readonly identity: string;
  readonly canPublish: boolean;
  readonly canSubscribe: boolean;
}

/**
 * A connection to a relay room: publish descriptors, receive other participants' descriptors
 * as events. Create with {@link connect}. Reconnects by itself after unexpected closes.
 */
export class Room {
  readonly #url: string;
  readonly #opts: ResolvedConnectOptions;
  readonly #events: TypedEmitter<RoomEvents>;
  readonly #life = new AbortController();
  readonly #participants = new Map<string, Participant>();
  readonly #publishers = new Map<string, StreamPublisher>();
  readonly #receivers = new Map<string, StreamReceiver>();
  /** Caps what remote publishers can make us allocate: checked before a receiver is created. */
  readonly #gate: RemoteFrameGate;
  /** Next sequence number of identity-code frames per stream. */
  readonly #identityCodeSeq = new Map<number, number>();
  /** Last identity code published per stream, re-sent after a reconnect (the relay cache may be gone). */
  readonly #lastIdentityCode = new Map<number, Uint8Array>();
  /** Streams seen per publisher identity, to ask for key frames after a reconnect. */
  readonly #knownStreams = new Map<string, Set<number>>();
  readonly #pings = new Map<number, { sentAt: number; resolve(ms: number): void }>();
  readonly #heads = new Set<DescriptorHead>();
  #state: RoomState = 'connecting';
  #socket: RelaySocket | undefined;
  #live = false;
  #session: Session | undefined;
  #roomName: string | undefined;
  /** Room to be in: rejoined after reconnects. */
  #wantedRoom: string | undefined;
  #pendingJoin: PendingJoin | undefined;
  #codec: Promise<PortableSemfaceCodec> | undefined;
  #clockOffsetMs = 0;
  /** Wire bytes of sockets before the current one. */
  readonly #wireBase = { sent: 0, received: 0 };
  #rttMs: number | undefined;
  #nonce = 0;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #deliver: Promise<void>;
  #openDelivery: () => void = () => {};
  #onUserAbort: (() => void) | undefined;

  private constructor(url: string, opts: ResolvedConnectOptions) {
    this.#url = url;
    this.#opts = opts;
    this.#events = new TypedEmitter<RoomEvents>((event, err) => this.#onListenerError(event, err));
    this.#gate = new RemoteFrameGate(opts, (err) => this.#emitError(err));
    this.#deliver = new Promise((resolve) => {
      this.#openDelivery = resolve;
    });
    if (opts.codec) this.#codec = Promise.resolve(opts.codec);
  }

  /**
   * Connects and joins. Use {@link connect} instead.
   * @internal
   */
  static async open(url: string, opts: ResolvedConnectOptions): Promise<Room> {
    const room = new Room(url, opts);
    const signal = opts.signal;
    if (signal) {
      if (signal.aborted) throw new AbortedError('connect aborted', { cause: signal.reason });
      room.#onUserAbort = () => room.dispose();
      signal.addEventListener('abort', room.#onUserAbort, { once: true });
    }
    try {
      await room.#connectSession();
    } catch (err) {
      room.#teardown();
      if (signal?.aborted && !(err instanceof AbortedError))
        throw new AbortedError('connect aborted', { cause: err });
      throw err;
    }
    room.#state = 'connected';
    room.#startPing();
    // Deliver frames only after the caller's `await connect()` continuation ran and could add listeners.
    setTimeout(() => room.#openDelivery(), 0);
    return room;
  }

  /** Lifecycle state. */
  get state(): RoomState {
    return this.#state;
  }

  /** Our relay-assigned participant id (changes on reconnect); '' before the first Welcome. */
  get participantId(): string {
    return this.#session?.participantId ?? '';
  }

  /** Our identity (the token's `sub`). */
  get identity(): string {
    return this.#session?.identity ?? '';
  }

  /** Joined room, or undefined while in none. */
  get name(): string | undefined {
    return this.#roomName;
  }

  /** Whether the token allows publishing / subscribing. */
  get grants(): { readonly canPublish: boolean; readonly canSubscribe: boolean } {
    return {
      canPublish: this.#session?.canPublish ?? false,
      canSubscribe: this.#session?.canSubscribe ?? false,
    };
  }

  /**
   * Bytes of WebSocket messages this client sent and received since it connected (all sockets
   * across reconnects; WebSocket and TCP/IP headers not included), and the protocol version of the
   * current socket. What the network carries, unlike the codec's payload bits.
   */
  get wireStats(): {
    readonly protocolVersion: 1 | 2;
    readonly bytesSent: number;
    readonly bytesReceived: number;
  } {
    const s = this.#socket;
    return {
      protocolVersion: s?.protocolVersion ?? 1,
      bytesSent: this.#wireBase.sent + (s?.bytesSent ?? 0),
      bytesReceived: this.#wireBase.received + (s?.bytesReceived ?? 0),
    };
  }

  /** Other members of the room, by participant id. */
  get participants(): ReadonlyMap<string, Participant> {
    return this.#participants;
  }

  /** Smoothed ping round-trip time in ms, or undefined before the first Pong. */
  get rttMs(): number | undefined {
    return this.#rttMs;
  }

  /** Estimated offset of the relay's clock from ours (relay = local + offset), ms. */
  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  /** Adds an event listener; returns a function that removes it. */
  on<K extends keyof RoomEvents>(event: K, listener: Listener<RoomEvents[K]>): () => void {
    return this.#events.on(event, listener);
  }

  /** Adds a listener that runs once; returns a function that removes it. */
  once<K extends keyof RoomEvents>(event: K, listener: Listener<RoomEvents[K]>): () => void {
    return this.#events.once(event, listener);
  }

  /** Removes an event listener. */
  off<K extends keyof RoomEvents>(event: K, listener: Listener<RoomEvents[K]>): void {
    this.#events.off(event, listener);
  }

  /**
   * Attaches a descriptor head (see {@link DescriptorHead}); returns a function that detaches it.
   * Heads are the extension point for expression and verification models.
   */
  attachHead(head: DescriptorHead): () => void {
    this.#assertUsable();
    if (typeof head?.onDescriptor !== 'function') throw new TypeError('head needs an onDescriptor method');
    this.#heads.add(head);
    return () => {
      if (this.#heads.delete(head)) this.#disposeHead(head);
    };
  }

  /**
   * Joins `name` (leaving the current room). Needed when the token grants any room (`*`).
   * @throws RangeError for invalid names; RelayError when the relay refuses.
   */
  async join(name: string): Promise<void> {
    this.#assertUsable();
    if (typeof name !== 'string') throw new TypeError('room name must be a string');
    if (!isValidRoomName(name)) throw new RangeError(`invalid room name '${name}'`);
    const sock = this.#socket;
    if (!sock || !this.#live) throw new ConnectError('not connected (reconnecting)');
    if (this.#roomName === name) return;
    await this.#joinOn(sock, name);
  }

  /** Leaves the current room; the connection stays open. No-op when in no room. */
  leave(): void {
    this.#assertUsable();
    const name = this.#roomName;
    if (name === undefined) return;
    this.#socket?.send({ leave: { room: name } });
    this.#roomName = undefined;
    this.#wantedRoom = undefined;
    this.#replaceParticipants([], 'leave');
  }

  /**
   * Encodes `descriptor` (257 values) with the room's codec and sends it as one frame. The first
   * frame of a stream, every `keyFrameInterval`-th frame and the frame after a key-frame request are
   * key frames. Frames of one stream are encoded in call order.
   * @returns what was sent, or null when the link is down (the next frame after it returns is a key frame).
   * @throws InvalidDescriptorError, NotAllowedError, NotJoinedError, EncodeError, RoomDisposedError.
   */
  async publish(descriptor: Float32Array, options: PublishOptions = {}): Promise<PublishedFrame | null> {
    const kind = options.kind ?? 'auto';
    if (kind !== 'auto' && kind !== 'key' && kind !== 'identity')
      throw new RangeError(`kind must be 'auto', 'key' or 'identity'`);
    const lane: PublishLane = kind === 'identity' ? 'identity' : 'frame';
    return this.#publish(descriptor, options, lane, kind === 'key');
  }

  /**
   * Sends the identity layer of `descriptor` (profile 'identity') as an IDENTITY frame. The relay keeps
   * the last one per stream for late joiners; send it again when the identity changes.
   */
  async publishIdentity(
    descriptor: Float32Array,
    options: Pick<PublishOptions, 'stream' | 'captureTimeUs'> = {},
  ): Promise<PublishedFrame | null> {
    return this.#publish(descriptor, { ...options, profile: 'identity' }, 'identity', true);
  }

  /**
   * Sends a recognition-grade identity code (issue 13; biometric) as an IDENTITY_CODE frame, which the
   * relay caches for late joiners and forwards only to subscribers whose token grants `identity_code`.
   * Needs the connect option `publishIdentityCode: true` (off by default). `input` is either the
   * recogniser embedding (coded here with `model` at `identityCodeRateIndex`) or an already coded packet
   * (codec-core `encodeIdentityCode`). Send again when the identity is refreshed; the last code per
   * stream is re-sent after a reconnect.
   * @throws NotAllowedError without the opt-in or the publish grant, NotJoinedError, RoomDisposedError.
   */
  async publishIdentityCode(
    input: Float32Array | Uint8Array,
    options: {
      readonly stream?: number;
      readonly model?: IdentityCodeModel;
      readonly captureTimeUs?: number;
    } = {},
  ): Promise<PublishedFrame | null> {
    this.#assertUsable();
    if (!this.#opts.publishIdentityCode)
      throw new NotAllowedError(
        'identity codes are off: connect with publishIdentityCode: true to send them',
      );
    const session = this.#session;
    if (session && !session.canPublish) throw new NotAllowedError('the token has no publish grant');
    if (this.#roomName === undefined && this.#state === 'connected') throw new NotJoinedError();
    const stream = options.stream ?? 0;
    if (!Number.isInteger(stream) || stream < 0 || stream > WireLimits.maxStreamId)
      throw new RangeError(`stream must be an integer in [0, ${WireLimits.maxStreamId}]`);
    let payload: Uint8Array;
    if (input instanceof Uint8Array) {
      payload = Uint8Array.from(input);
      if (payload.length < IDENTITY_CODE_HEADER_BYTES || payload[0] !== IDENTITY_CODE_VERSION)
        throw new RangeError('not an identity-code packet of a version this SDK writes');
    } else {
      if (!options.model)
        throw new TypeError('coding an embedding needs options.model (an IdentityCodeModel)');
      try {
        payload = encodeIdentityCode(options.model, input, this.#opts.identityCodeRateIndex);
      } catch (err) {
        throw new EncodeError(`encoding the identity code failed: ${(err as Error).message}`, { cause: err });
      }
    }
    this.#lastIdentityCode.set(stream, payload);
    return this.#sendIdentityCode(stream, payload, options.captureTimeUs ?? Date.now() * 1000);
  }

  /** Sends one identity-code frame (also re-sent by the resync after a reconnect). */
  #sendIdentityCode(stream: number, payload: Uint8Array, captureLocalUs: number): PublishedFrame | null {
    const head = peekIdentityCode(payload);
    const seq = this.#identityCodeSeq.get(stream) ?? 0;
    this.#identityCodeSeq.set(stream, seq + 1);
    const captureTimeUs = Math.round(captureLocalUs + this.#clockOffsetMs * 1000);
    const modelId = `idcode:${head.modelId}`;
    const sent =
      this.#canSend() &&
      this.#socket!.send({
        frame: {
          stream,
          seq,
          captureTimeUs,
          kind: FrameKind.identityCode,
          profile: PROFILE_NAMES.indexOf('identity'),
          modelId,
          payload,
        },
      });
    if (!sent) return null;
    return {
      stream,
      seq,
      kind: 'identityCode',
      profile: 'identity',
      modelId,
      bits: payload.length * 8,
      captureTimeUs,
    };
  }

  #onIdentityCode(frame: semface.v1.Frame): void {
    let head: ReturnType<typeof peekIdentityCode>;
    try {
      head = peekIdentityCode(frame.payload);
    } catch (err) {
      this.#emitError(
        new FrameDecodeError(
          frame.participantId,
          frame.stream,
          Number(frame.seq),
          'identity-code frame undecodable',
          {
            cause: err,
          },
        ),
      );
      return;
    }
    const event: IdentityCodeEvent = {
      participantId: frame.participantId,
      identity: this.#participants.get(frame.participantId)?.identity ?? '',
      stream: frame.stream,
      seq: Number(frame.seq),
      modelId: frame.modelId,
      code: Uint8Array.from(frame.payload),
      rateIndex: head.rateIndex,
      captureTimeUs: Number(frame.captureTimeUs),
      bits: frame.payload.length * 8,
    };
    // Like decoded descriptors, only once the room was handed to the application (replays on join).
    void this.#deliver.then(() => {
      if (this.#state !== 'disposed') this.#events.emit('identityCode', event);
    });
  }

  /** Asks a publisher for a key frame on one of its streams. */
  requestKeyFrame(participantId: string, stream = 0): void {
    this.#assertUsable();
    this.#socket?.send({ keyFrameRequest: { participantId, stream } });
  }

  /** Measures one round trip to the relay (Ping/Pong), in ms. */
  ping(): Promise<number> {
    this.#assertUsable();
    const sock = this.#socket;
    if (!sock || !this.#live) return Promise.reject(new ConnectError('not connected (reconnecting)'));
    const nonce = ++this.#nonce;
    return abortable<number>(
      (resolve) => {
        this.#pings.set(nonce, { sentAt: performance.now(), resolve });
        sock.send({ ping: { nonce, sentTimeUs: Date.now() * 1000 } });
        return () => this.#pings.delete(nonce);
      },
      { signal: this.#life.signal, timeoutMs: this.#opts.connectTimeoutMs, what: 'ping' },
    );
  }

  /**
   * Closes the connection, stops reconnecting, removes every listener and head. Idempotent.
   * Emits `disconnected` (reason 'disposed') once if the room was connected.
   */
  dispose(): void {
    if (this.#state === 'disposed') return;
    const handedOut = this.#state !== 'connecting';
    if (handedOut) {
      this.#events.emit('disconnected', {
        closeCode: CloseCode.normal,
        reason: 'disposed',
        error: undefined,
      });
    }
    this.#teardown();
  }

  // ---- connection lifecycle -------------------------------------------------------------------

  /** Opens a socket, says Hello, joins the room; installs the socket as the live one. */
  async #connectSession(): Promise<void> {
    const o = this.#opts;
    const signal = this.#life.signal;
    const token = typeof o.token === 'function' ? await o.token() : o.token;
    if (typeof token !== 'string' || token.length === 0)
      throw new TypeError('token function must return a non-empty string');
    const WebSocketImpl = await resolveWebSocket(o.WebSocket);
    const sock = await RelaySocket.open(WebSocketImpl, this.#url, { signal, timeoutMs: o.connectTimeoutMs });
    const old = this.#socket;
    if (old) {
      this.#wireBase.sent += old.bytesSent;
      this.#wireBase.received += old.bytesReceived;
    }
    this.#socket = sock;
    this.#live = false;
    sock.onEnvelope = (env) => this.#dispatch(env);
    sock.onClose = (info) => this.#onSocketClose(sock, info);
    sock.onProtocolError = (err) => this.#emitError(err);
    try {
      const helloAt = performance.now();
      sock.send({
        hello: {
          protocolVersion: Math.min(o.protocolVersion, PROTOCOL_VERSION),
          token,
          client: o.client,
          bundleIntervalMs: o.bundleIntervalMs,
        },
      });
      const env = await sock.next(['welcome'], { signal, timeoutMs: o.connectTimeoutMs, what: 'Welcome' });
      const w = env.welcome as semface.v1.Welcome;
      const rtt = performance.now() - helloAt;
      this.#clockOffsetMs = Number(w.serverTimeMs) + rtt / 2 - Date.now();
      if (w.protocolVersion >= 2) {
        sock.useProtocolV2({
          maxTracks: o.maxRemoteTracks,
          relayNowMs: () => Date.now() + this.#clockOffsetMs,
          bundleIntervalMs: o.bundleIntervalMs,
        });
      }
      this.#session = {
        participantId: w.participantId,
        identity: w.identity,
        canPublish: w.canPublish,
        canSubscribe: w.canSubscribe,
      };
      const target = this.#wantedRoom ?? o.room ?? (w.room !== ANY_ROOM ? w.room : undefined);
      this.#roomName = undefined;
      if (target !== undefined) await this.#joinOn(sock, target);
    } catch (err) {
      if (this.#socket === sock) this.#socket = undefined;
      sock.abandon();
      throw err;
    }
    this.#live = true;
  }

  #joinOn(sock: RelaySocket, name: string): Promise<void> {
    this.#pendingJoin?.reject(new AbortedError(`join of '${this.#pendingJoin.name}' superseded`));
    return abortable<void>(
      (resolve, reject) => {
        const pending: PendingJoin = { name, resolve, reject };
        this.#pendingJoin = pending;
        sock.send({ join: { room: name } });
        return () => {
          if (this.#pendingJoin === pending) this.#pendingJoin = undefined;
        };
      },
      { signal: this.#life.signal, timeoutMs: this.#opts.connectTimeoutMs, what: `joining '${name}'` },
    );
  }

  #onSocketClose(sock: RelaySocket, info: CloseInfo): void {
    if (this.#socket !== sock) return;
    this.#socket = undefined;
    this.#pendingJoin?.reject(
      info.relayError ?? new ConnectError(`connection closed (${info.code})`, info.code),
    );
    if (!this.#live) return; // a handshake in progress reports the failure itself
    this.#linkLost(info);
  }

  #linkLost(info: CloseInfo): void {
    this.#live = false;
    this.#stopPing();
    if (this.#state === 'disposed') return;
    const o = this.#opts;
    const relayError = info.relayError;
    if (relayError && this.#isTerminal(relayError)) {
      this.#fail(relayError, info);
      return;
    }
    if (o.reconnect === false) {
      this.#fail(relayError ?? new ConnectError(`connection lost (${info.code})`, info.code), info);
      return;
    }
    void this.#reconnect(info);
  }

  #isTerminal(err: RelayError): boolean {
    if (!AUTH_CLOSE_CODES.has(err.closeCode)) return false;
    // A token function may hand out a fresh token; an expired static one will never work again.
    return !(err.closeCode === CloseCode.tokenExpired && typeof this.#opts.token === 'function');
  }

  async #reconnect(info: CloseInfo): Promise<void> {
    const r = this.#opts.reconnect;
    if (r === false) return;
    this.#state = 'reconnecting';
    const log = this.#opts.logger;
    let lastError: unknown;
    for (let attempt = 0; attempt < r.maxRetries; attempt++) {
      const delayMs = backoffDelay(attempt, r);
      this.#events.emit('reconnecting', {
        attempt: attempt + 1,
        delayMs,
        closeCode: info.code,
        reason: info.reason,
      });
      try {
        await sleep(delayMs, this.#life.signal);
        await this.#connectSession();
      } catch (err) {
        if (this.#disposed) return;
        lastError = err;
        log.debug({ attempt: attempt + 1, err: (err as Error).message }, 'reconnect attempt failed');
        if (err instanceof RelayError && err.closeCode !== 0 && this.#isTerminal(err)) {
          this.#fail(err, { code: err.closeCode, reason: err.message, relayError: err });
          return;
        }
        continue;
      }
      this.#state = 'connected';
      this.#startPing();
      log.info({ attempts: attempt + 1, participantId: this.participantId }, 'reconnected');
      this.#events.emit('reconnected', { attempts: attempt + 1, participantId: this.participantId });
      this.#resync();
      return;
    }
    const err = new ReconnectFailedError(r.maxRetries, { cause: lastError });
    this.#fail(err, { code: info.code, reason: info.reason, relayError: undefined });
  }

  /** After a reconnect: key frames from every publisher, and a key frame on each of our streams. */
  #resync(): void {
    if (this.#roomName === undefined) return;
    if (this.#session?.canSubscribe) {
      for (const p of this.#participants.values()) {
        if (!p.canPublish) continue;
        for (const stream of this.#knownStreams.get(p.identity) ?? [0]) {
          this.#socket?.send({ keyFrameRequest: { participantId: p.participantId, stream } });
        }
      }
    }
    for (const pub of this.#publishers.values()) {
      pub.requestKeyFrame();
      const last = pub.last;
      if (!last || !this.#session?.canPublish) continue;
      void this.#sendEncoded(pub, last.descriptor, last.profile, true, Date.now() * 1000).catch((err) =>
        this.#emitError(
          err instanceof SemfaceSdkError ? err : new EncodeError('resync failed', { cause: err }),
        ),
      );
    }
    if (this.#session?.canPublish && this.#opts.publishIdentityCode) {
      for (const [stream, payload] of this.#lastIdentityCode)
        this.#sendIdentityCode(stream, payload, Date.now() * 1000);
    }
  }

  #fail(error: SemfaceSdkError, info: CloseInfo): void {
    if (this.#state === 'disposed') return;
    error.fatal = true;
    this.#opts.logger.warn({ code: error.code, closeCode: info.code }, error.message);
    this.#events.emit('error', error);
    this.#events.emit('disconnected', { closeCode: info.code, reason: info.reason, error });
    this.#teardown();
  }

  #teardown(): void {
    if (this.#state === 'disposed') return;
    this.#state = 'disposed';
    this.#live = false;
    this.#stopPing();
    this.#life.abort(new RoomDisposedError());
    if (this.#onUserAbort) this.#opts.signal?.removeEventListener('abort', this.#onUserAbort);
    const sock = this.#socket;
    this.#socket = undefined;
    sock?.abandon(CloseCode.normal, 'disposed');
    this.#pendingJoin?.reject(new RoomDisposedError());
    for (const r of this.#receivers.values()) r.close();
    this.#receivers.clear();
    this.#gate.clear();
    this.#participants.clear();
    this.#pings.clear();
    for (const head of this.#heads) this.#disposeHead(head);
    this.#heads.clear();
    this.#events.removeAllListeners();
    // Unblock receivers waiting for delivery so their queues drain (they see `closed`).
    this.#openDelivery();
  }

  // ---- incoming messages ----------------------------------------------------------------------

  #dispatch(env: DecodedEnvelope): void {
    switch (env.body) {
      case 'joined':
        this.#onJoined(env.joined as semface.v1.Joined);
        return;
      case 'frame':
        this.#onFrame(env.frame as semface.v1.Frame);
        return;
      case 'peerJoined': {
        const peer = env.peerJoined?.peer;
        if (!peer?.participantId || peer.participantId === this.participantId) return;
        if (env.peerJoined?.room !== this.#roomName) return;
        const p = toParticipant(peer);
        this.#participants.set(p.participantId, p);
        this.#events.emit('participantJoined', p);
        return;
      }
      case 'peerLeft': {
        const left = env.peerLeft as semface.v1.PeerLeft;
        if (left.room !== this.#roomName) return;
        const p = this.#participants.get(left.participantId);
        this.#dropReceivers(left.participantId);
        if (!p) return;
        this.#participants.delete(left.participantId);
        this.#events.emit('participantLeft', { ...p, reason: left.reason });
        return;
      }
      case 'keyFrameRequest': {
        const req = env.keyFrameRequest as semface.v1.KeyFrameRequest;
        this.#publishers.get(publisherKey(req.stream, 'frame'))?.requestKeyFrame();
        this.#events.emit('keyFrameRequested', { stream: req.stream, requesterId: req.requesterId });
        return;
      }
      case 'ping':
        this.#socket?.send({ pong: { nonce: env.ping!.nonce, sentTimeUs: env.ping!.sentTimeUs } });
        return;
      case 'pong': {
        const pending = this.#pings.get(Number(env.pong!.nonce));
        if (!pending) return;
        const rtt = performance.now() - pending.sentAt;
        this.#rttMs = this.#rttMs === undefined ? rtt : 0.8 * this.#rttMs + 0.2 * rtt;
        pending.resolve(rtt);
        return;
      }
      case 'error': {
        const e = env.error as semface.v1.Error;
        // A closing error arrives again with the close; report it once, there.
        if (e.closeCode !== 0) return;
        const err = new RelayError(e.code, 0, e.message);
        if (this.#pendingJoin && this.#isJoinError(e.code)) {
          this.#pendingJoin.reject(err);
          return;
        }
        this.#emitError(err);
        return;
      }
      default:
        this.#opts.logger.debug({ body: env.body }, 'ignored relay message');
    }
  }

  #isJoinError(code: string): boolean {
    return code !== 'SEMFACE_ERR_RELAY_RATE_LIMITED' && code !== 'SEMFACE_ERR_RELAY_INVALID_FRAME';
  }

  #onJoined(joined: semface.v1.Joined): void {
    const pending = this.#pendingJoin;
    if (!pending || pending.name !== joined.room) return;
    this.#roomName = joined.room;
    this.#wantedRoom = joined.room;
    const reason = this.#state === 'reconnecting' ? 'reconnect' : 'leave';
    this.#replaceParticipants(
      joined.peers.filter((p) => p.participantId !== this.participantId),
      reason,
    );
    this.#pendingJoin = undefined;
    pending.resolve();
  }

  /** Sets the member list, emitting left/joined for the difference; clears receivers of those gone. */
  #replaceParticipants(peers: semface.v1.IPeer[], leftReason: string): void {
    const next = new Map(peers.map((peer) => [peer.participantId ?? '', toParticipant(peer)]));
    for (const [id, p] of [...this.#participants]) {
      if (next.has(id)) continue;
      this.#participants.delete(id);
      this.#dropReceivers(id);
      this.#events.emit('participantLeft', { ...p, reason: leftReason });
    }
    for (const [id, p] of next) {
      if (this.#participants.has(id)) continue;
      this.#participants.set(id, p);
      this.#events.emit('participantJoined', p);
    }
    // Receivers of ids that are still present keep their decoders; others are gone above.
  }

  #onFrame(frame: semface.v1.Frame): void {
    if (this.#roomName === undefined) return;
    if (!this.#gate.admit(frame)) return;
    if (frame.kind === FrameKind.identityCode) {
      this.#onIdentityCode(frame);
      return;
    }
    const pid = frame.participantId;
    // A temporal stream's key, delta and identity frames share one decoder; intra identity frames have their own.
    // The frame names its coding; frames of clients that predate the field say it by model-id prefix.
    const coding: StreamCodingName =
      STREAM_CODING_NAMES.find((c) => FrameCoding[c] === frame.coding) ??
      (frame.coding === FrameCoding.unspecified && isTemporalModelId(frame.modelId) ? 'temporal' : 'intra');
    const lane = coding !== 'intra' ? coding : frame.kind === FrameKind.identity ? 'identity' : 'frame';
    const key = `${pid}\u0000${frame.stream}\u0000${lane}`;
    let receiver = this.#receivers.get(key);
    if (!receiver) {
      const hooks = {
        ready: () => this.#deliver,
        decoded: (f: semface.v1.Frame, d: DecodedFaceFrame) => this.#onDecoded(f, d),
        failed: (f: semface.v1.Frame, err: unknown, first: boolean) => {
          if (!first) return;
          this.#emitError(
            new FrameDecodeError(
              pid,
              f.stream,
              Number(f.seq),
              `frame ${Number(f.seq)} of ${pid}/${f.stream} undecodable`,
              {
                cause: err,
              },
            ),
          );
        },
        requestKeyFrame: () => {
          if (lane === 'identity') return;
          this.#socket?.send({ keyFrameRequest: { participantId: pid, stream: frame.stream } });
        },
      };
      const createDecoder = async () => {
        const codec = await this.#getCodec();
        if (!codec.supportsCoding(coding))
          throw new CodecUnavailableError(`the codec has no ${coding} coding (${coding}-stream frames)`);
        return codec.createStreamDecoder(coding);
      };
      const o = this.#opts;
      receiver = new StreamReceiver(
        coding,
        { ...hooks, createDecoder },
        o.maxPendingFrames,
        o.keyFrameRequestIntervalMs,
      );
      this.#receivers.set(key, receiver);
      const identity = this.#participants.get(pid)?.identity;
      if (identity !== undefined && lane !== 'identity') {
        let streams = this.#knownStreams.get(identity);
        if (!streams) {
          streams = new Set();
          this.#knownStreams.set(identity, streams);
        }
        streams.add(frame.stream);
      }
    }
    receiver.push(frame);
  }

  #onDecoded(frame: semface.v1.Frame, decoded: DecodedFaceFrame): void {
    if (this.#state === 'disposed') return;
    const captureTimeUs = Number(frame.captureTimeUs);
    const relayNowMs = Date.now() + this.#clockOffsetMs;
    const event: DescriptorEvent = {
      participantId: frame.participantId,
      identity: this.#participants.get(frame.participantId)?.identity ?? '',
      stream: frame.stream,
      seq: Number(frame.seq),
      kind: frameKindName(frame.kind) ?? 'delta',
      profile: decoded.profile,
      modelId: decoded.modelId,
      descriptor: decoded.descriptor,
      captureTimeUs,
      latencyMs: Math.max(0, relayNowMs - captureTimeUs / 1000),
      bits: frame.payload.length * 8,
    };
    for (const head of this.#heads) {
      try {
        head.onDescriptor(event);
      } catch (err) {
        this.#emitError(new ListenerError(`head:${head.name}`, { cause: err }));
      }
    }
    this.#events.emit('descriptor', event);
  }

  #dropReceivers(participantId: string): void {
    this.#gate.forget(participantId);
    const prefix = `${participantId}\u0000`;
    for (const [key, r] of this.#receivers) {
      if (!key.startsWith(prefix)) continue;
      r.close();
      this.#receivers.delete(key);
    }
  }

  // ---- publishing -----------------------------------------------------------------------------

  async #publish(
    descriptor: Float32Array,
    options: PublishOptions,
    lane: PublishLane,
    forceKey: boolean,
  ): Promise<PublishedFrame | null> {
    this.#assertUsable();
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    const profile = options.profile ?? (lane === 'identity' ? 'identity' : 'full');
    if (!PROFILE_NAMES.includes(profile)) throw new RangeError(`unknown profile '${String(profile)}'`);
    const stream = options.stream ?? 0;
    if (!Number.isInteger(stream)) throw new TypeError('stream must be an integer');
    if (stream < 0 || stream > WireLimits.maxStreamId)
      throw new RangeError(`stream must be in [0, ${WireLimits.maxStreamId}]`);
    const captureLocalUs = options.captureTimeUs ?? Date.now() * 1000;
    if (typeof captureLocalUs !== 'number' || !Number.isFinite(captureLocalUs))
      throw new TypeError('captureTimeUs must be a finite number');
    checkDescriptor(descriptor);
    const session = this.#session;
    if (session && !session.canPublish) throw new NotAllowedError('the token has no publish grant');
    if (this.#roomName === undefined && this.#state === 'connected') throw new NotJoinedError();
    const key = publisherKey(stream, lane);
    let pub = this.#publishers.get(key);
    if (!pub) {
      pub = new StreamPublisher(stream, lane, this.#opts);
      this.#publishers.set(key, pub);
    }
    const copy = Float32Array.from(descriptor);
    pub.last = { descriptor: copy, profile };
    return this.#sendEncoded(pub, copy, profile, forceKey, captureLocalUs);
  }

  #sendEncoded(
    pub: StreamPublisher,
    descriptor: Float32Array,
    profile: ProfileName,
    forceKey: boolean,
    captureLocalUs: number,
  ): Promise<PublishedFrame | null> {
    return pub.queue.run(async () => {
      if (!this.#canSend()) {
        pub.requestKeyFrame();
        return null;
      }
      if (
        this.#socket!.bufferedAmount > this.#opts.sendBufferLimitBytes &&
        !pub.nextIsKey(profile, forceKey)
      ) {
        // The link is not keeping up: skip this delta before encoding, so the stream stays consistent.
        return null;
      }
      const codec = await this.#getCodec();
      let encoded: Awaited<ReturnType<StreamPublisher['encode']>>;
      try {
        encoded = await pub.encode(codec, descriptor, profile, forceKey);
      } catch (err) {
        throw new EncodeError(`encoding a '${profile}' descriptor failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const captureTimeUs = Math.round(captureLocalUs + this.#clockOffsetMs * 1000);
      const sent =
        this.#canSend() &&
        this.#socket!.send({
          frame: {
            stream: pub.stream,
            seq: encoded.seq,
            captureTimeUs,
            kind: encoded.kind,
            profile: PROFILE_NAMES.indexOf(encoded.profile),
            modelId: encoded.modelId,
            payload: encoded.payload,
            coding: FrameCoding[encoded.coding],
          },
        });
      if (!sent) {
        pub.requestKeyFrame();
        return null;
      }
      return {
        stream: pub.stream,
        seq: encoded.seq,
        kind: frameKindName(encoded.kind) ?? 'delta',
        profile: encoded.profile,
        modelId: encoded.modelId,
        bits: encoded.payload.length * 8,
        captureTimeUs,
      };
    });
  }

  #canSend(): boolean {
    return this.#live && this.#roomName !== undefined && this.#socket?.isOpen === true;
  }

  #getCodec(): Promise<PortableSemfaceCodec> {
    if (!this.#codec) {
      this.#codec = loadDefaultCodec();
      this.#codec.catch(() => {
        this.#codec = undefined;
      });
    }
    return this.#codec;
  }

  // ---- ping, errors, helpers ------------------------------------------------------------------

  #startPing(): void {
    this.#stopPing();
    const o = this.#opts;
    this.#pingTimer = setInterval(() => this.#pingTick(), o.pingIntervalMs);
    // Node: a room alone must not keep the process alive. Browsers return a number without unref.
    (this.#pingTimer as { unref?: () => void }).unref?.();
  }

  #stopPing(): void {
    if (this.#pingTimer !== undefined) clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #pingTick(): void {
    const sock = this.#socket;
    if (!sock || !this.#live) return;
    const idle = this.#opts.idleTimeoutMs;
    if (idle > 0 && performance.now() - sock.lastMessageAt > idle) {
      this.#opts.logger.warn({ idleMs: idle }, 'relay silent; reconnecting');
      this.#socket = undefined;
      sock.abandon(CloseCode.normal, 'idle timeout');
      this.#linkLost({ code: 1006, reason: 'idle timeout', relayError: undefined });
      return;
    }
    this.ping().catch((err) => {
      if (err instanceof TimeoutError) this.#opts.logger.debug({}, 'ping timed out');
    });
  }

  #emitError(err: SemfaceSdkError): void {
    if (this.#state === 'disposed') return;
    this.#opts.logger.warn({ code: err.code }, err.message);
    this.#events.emit('error', err);
  }

  #onListenerError(event: string, err: unknown): void {
    if (event === 'error') {
      // An error listener that throws cannot be told about it; log instead of looping.
      this.#opts.logger.error({ err: (err as Error)?.message }, "an 'error' listener threw");
      return;
    }
    this.#emitError(new ListenerError(event, { cause: err }));
  }

  #disposeHead(head: DescriptorHead): void {
    try {
      head.dispose?.();
    } catch (err) {
      this.#opts.logger.warn({ head: head.name, err: (err as Error)?.message }, 'head dispose threw');
    }
  }

  get #disposed(): boolean {
    return this.#state === 'disposed';
  }

  #assertUsable(): void {
    if (this.#state === 'disposed') throw new RoomDisposedError();
  }
}

function publisherKey(stream: number, lane: PublishLane): string {
  return `${stream}:${lane}`;
}

function toParticipant(peer: semface.v1.IPeer): Participant {
  return Object.freeze({
    participantId: peer.participantId ?? '',
    identity: peer.identity ?? '',
    canPublish: peer.canPublish ?? false,
  });
}

function checkDescriptor(descriptor: Float32Array): void {
  if (!(descriptor instanceof Float32Array) || descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new InvalidDescriptorError(`descriptor must be a Float32Array of ${DESCRIPTOR_LENGTH} values`);
  }
  for (let i = 0; i < descriptor.length; i++) {
    if (!Number.isFinite(descriptor[i]!))
      throw new InvalidDescriptorError(`descriptor value ${i} is not finite`);
  }
}
