import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  ANY_ROOM,
  type DecodedEnvelope,
  type IEnvelope,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  WireLimits,
  decodeBundle,
  decodeCompactFrame,
  expandBundleEntries,
  wireMessageType,
  decodeEnvelope,
  encodeEnvelope,
  frameKindName,
  isBiometricKind,
  isReliableKind,
  isValidRoomName,
  type semface,
} from '@semface/protocol';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { Grants, TokenVerifier } from '../auth/token.js';
import type { Bus } from '../bus/bus.js';
import { ClusterLink } from '../cluster/cluster-link.js';
import type { ResolvedRelayOptions } from '../config/options.js';
import { RelayError } from '../errors.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';
import { Connection } from './connection.js';
import type { Outgoing } from './outbound-queue.js';
import { Room, type RoomCacheLimits } from './room.js';
import { UpTrackError, UpTracks, compactOf } from './wire-v2.js';

/** Messages a client may send before its Hello is verified (pipelined Join etc.). */
const MAX_EARLY_MESSAGES = 16;
/** Longest `Hello.client` text kept for logs, characters (clients may send 64 KiB there). */
const MAX_CLIENT_NAME_CHARS = 64;
/** setTimeout's largest delay, ms; longer token lifetimes are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface RoomState {
  room: Room<Connection>;
  /** Resolves once the room's bus subscription exists. */
  linked: Promise<void>;
}

/**
 * Relay core of one node: connections, rooms, fan-out, and the bus link to other nodes.
 * Transport-agnostic beyond `ws`: the HTTP server hands it upgraded sockets.
 */
export class Relay {
  readonly nodeId: string;
  readonly #opts: ResolvedRelayOptions;
  readonly #log: Logger;
  readonly #metrics: RelayMetrics;
  readonly #verifier: TokenVerifier;
  /** Bus link to the other nodes (cluster/cluster-link.ts). */
  readonly #cluster: ClusterLink<Connection>;
  readonly #rooms = new Map<string, RoomState>();
  readonly #connections = new Set<Connection>();
  readonly #early = new WeakMap<Connection, Buffer[]>();
  /** Open connections per remote IP address (upgrade-time cap). */
  readonly #perIp = new Map<string, number>();
  /** Authenticated connections per token identity (Hello-time cap). */
  readonly #perIdentity = new Map<string, number>();
  readonly #framesIn = new Map<string, { inc(n?: number): void }>();
  readonly #cacheLimits: RoomCacheLimits;
  #seq = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #draining = false;

  constructor(
    opts: ResolvedRelayOptions,
    log: Logger,
    metrics: RelayMetrics,
    verifier: TokenVerifier,
    bus: Bus,
  ) {
    this.#opts = opts;
    this.nodeId = opts.nodeId ?? randomBytes(4).toString('hex');
    this.#log = log;
    this.#metrics = metrics;
    this.#verifier = verifier;
    this.#cluster = new ClusterLink<Connection>(bus, opts, this.nodeId, log, metrics, {
      fanOut: (r, f, kind, bytes) => this.#fanOut(r, f, kind, bytes, performance.now()),
      control: (m, bytes) => m.deliver(control(bytes)),
    });
    this.#cacheLimits = Object.freeze({
      maxFramesPerPublisher: opts.maxCachedFramesPerPublisher,
      maxBytes: opts.maxCachedBytesPerRoom,
      maxFrameBytes: opts.maxCachedFrameBytes,
    });
    this.#heartbeat = setInterval(() => this.#beat(), opts.heartbeatIntervalMs);
    this.#heartbeat.unref();
  }

  /** Open connections on this node. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** True once drain() started. */
  get draining(): boolean {
    return this.#draining;
  }

  /** True if one more connection from `ip` stays within `maxConnectionsPerIp`. */
  admitsIp(ip: string | undefined): boolean {
    return (this.#perIp.get(ip ?? '') ?? 0) < this.#opts.maxConnectionsPerIp;
  }

  /** Takes over an upgraded WebSocket. */
  accept(ws: WebSocket, req: IncomingMessage): void {
    const id = `${this.nodeId}-${(++this.#seq).toString(36)}`;
    const ip = req.socket.remoteAddress ?? '';
    this.#perIp.set(ip, (this.#perIp.get(ip) ?? 0) + 1);
    const log = this.#log.child({ conn: id, ip });
    const o = this.#opts;
    const conn = new Connection(
      id,
      ws,
      log,
      this.#metrics,
      {
        highWaterBytes: o.highWaterBytes,
        maxQueueMessages: o.maxQueueMessages,
        maxQueueBytes: o.maxQueueBytes,
      },
      {
        messagesPerSecond: o.rateLimitMessagesPerSecond,
        burstMessages: o.rateLimitBurstMessages,
        bytesPerSecond: o.rateLimitBytesPerSecond,
        burstBytes: o.rateLimitBurstBytes,
        controlPerSecond: o.controlMessagesPerSecond,
        controlBurst: o.controlBurstMessages,
        rejectedPerSecond: o.rejectedMessagesPerSecond,
        rejectedBurst: o.rejectedBurstMessages,
      },
    );
    this.#connections.add(conn);
    this.#metrics.connections.set(this.#connections.size);
    log.debug('connected');
    const helloTimer = setTimeout(() => {
      if (conn.state === 'hello') conn.close('helloTimeout', 'no Hello in time');
    }, o.helloTimeoutMs);
    helloTimer.unref();
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('message', (data, isBinary) => {
      conn.alive = true;
      try {
        this.#onMessage(conn, data, isBinary);
      } catch (err) {
        // A bug must cost one message, never the process.
        log.error({ err }, 'message handler failed');
        conn.sendError('internal', 'internal error');
      }
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'socket error'));
    ws.on('close', (code) => {
      clearTimeout(helloTimer);
      clearTimeout(conn.expiryTimer);
      decrement(this.#perIp, ip);
      if (conn.identityCounted && conn.grants) decrement(this.#perIdentity, conn.grants.identity);
      conn.state = 'closed';
      conn.shutdown();
      this.#connections.delete(conn);
      this.#metrics.connections.set(this.#connections.size);
      this.#leave(conn, code === 1000 ? 'close' : 'closed');
      log.debug({ code }, 'disconnected');
    });
  }

  #onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.state === 'closed') return;
    const buf = data as Buffer;
    this.#metrics.bytesIn.inc(buf.length);
    // Charged first: every message, whatever it is, costs the sender before it costs the relay a reply.
    if (!conn.admit(buf.length)) return;
    if (!isBinary) {
      conn.reject('malformed', 'text messages are not part of the protocol');
      return;
    }
    if (buf.length > this.#opts.maxMessageBytes) {
      conn.reject('messageTooLarge', `message of ${buf.length} bytes exceeds ${this.#opts.maxMessageBytes}`);
      return;
    }
    if (conn.state === 'authenticating') {
      const early = this.#early.get(conn) ?? [];
      if (early.length >= MAX_EARLY_MESSAGES) {
        conn.close('rateLimited', 'too many messages before Welcome');
        return;
      }
      early.push(buf);
      this.#early.set(conn, early);
      return;
    }
    if (conn.protocol === 2 && conn.state === 'ready') {
      this.#onWireV2(conn, buf);
      return;
    }
    let env: DecodedEnvelope;
    try {
      env = decodeEnvelope(buf);
    } catch (err) {
      const empty = (err as { code?: string }).code === 'SEMFACE_ERR_PROTOCOL_EMPTY_ENVELOPE';
      if (empty) conn.reject('unknownMessage', 'envelope has no known message');
      else conn.reject('malformed', 'message is not a valid semface.v1.Envelope');
      return;
    }
    if (conn.state === 'hello') {
      if (env.body !== 'hello') {
        conn.close('protocol', `expected hello, got ${env.body}`);
        return;
      }
      this.#onHello(conn, env.hello!).catch((err: unknown) => {
        // Whatever went wrong, one bad Hello costs its own socket and nothing else.
        conn.log.error({ err }, 'hello handler failed');
        conn.close('internal', 'internal error');
      });
      return;
    }
    this.#dispatch(conn, env);
  }

  async #onHello(conn: Connection, hello: semface.v1.IHello): Promise<void> {
    const version = hello.protocolVersion ?? 0;
    if (version < MIN_PROTOCOL_VERSION) {
      conn.close(
        'unsupportedVersion',
        `protocol version ${version} unsupported; server speaks ${MIN_PROTOCOL_VERSION}..${PROTOCOL_VERSION}`,
      );
      return;
    }
    // A newer client gets the newest version both speak.
    conn.protocol = version >= 2 ? 2 : 1;
    const bundleMs =
      conn.protocol === 2 ? Math.min(hello.bundleIntervalMs ?? 0, this.#opts.maxBundleIntervalMs) : 0;
    conn.state = 'authenticating';
    let grants: Grants;
    try {
      grants = await this.#verifier.verify(hello.token);
    } catch (err) {
      if (err instanceof RelayError) conn.close(err.kind, err.message);
      else conn.close('internal', 'token check failed');
      return;
    }
    if (conn.state !== 'authenticating') return;
    const sameIdentity = this.#perIdentity.get(grants.identity) ?? 0;
    if (sameIdentity >= this.#opts.maxConnectionsPerIdentity) {
      conn.close(
        'connectionLimit',
        `identity has ${sameIdentity} connections (limit ${this.#opts.maxConnectionsPerIdentity})`,
      );
      return;
    }
    this.#perIdentity.set(grants.identity, sameIdentity + 1);
    conn.identityCounted = true;
    conn.grants = grants;
    conn.state = 'ready';
    this.#armExpiry(conn, grants.expiresAt);
    if (conn.protocol === 2) conn.upTracks = new UpTracks(this.#opts.maxTracksPerPublisher);
    if (bundleMs > 0) conn.startBundling(bundleMs);
    const g = grants;
    const client = String(hello.client ?? '')
      .replace(/[^\x20-\x7e]/g, '?')
      .slice(0, MAX_CLIENT_NAME_CHARS);
    conn.log.info({ identity: g.identity, room: g.room, client }, 'authenticated');
    conn.send({
      welcome: {
        participantId: conn.id,
        protocolVersion: conn.protocol,
        bundleIntervalMs: bundleMs,
        identity: g.identity,
        room: g.room,
        canPublish: g.canPublish,
        canSubscribe: g.canSubscribe,
        canReceiveIdentityCode: g.canReceiveIdentityCode,
        tokenExpiresAt: g.expiresAt,
        maxMessageBytes: this.#opts.maxMessageBytes,
        heartbeatIntervalMs: this.#opts.heartbeatIntervalMs,
        serverTimeMs: Date.now(),
      },
    });
    const early = this.#early.get(conn);
    this.#early.delete(conn);
    if (early) {
      for (const buf of early) {
        if (conn.state !== 'ready') break;
        if (conn.protocol === 2) {
          this.#onWireV2(conn, buf);
          continue;
        }
        let env: DecodedEnvelope;
        try {
          env = decodeEnvelope(buf);
        } catch {
          conn.reject('malformed', 'message is not a valid semface.v1.Envelope');
          continue;
        }
        this.#dispatch(conn, env);
      }
    }
  }

  /**
   * One message of a v2 client: a compact frame, a bundle of messages, or an Envelope (`Track`
   * announcements are handled here, everything else as in v1).
   */
  #onWireV2(conn: Connection, buf: Buffer): void {
    let parts: Uint8Array[];
    try {
      // Entries are views of the received Buffer (bundles) or the Buffer itself.
      parts = wireMessageType(buf) === 'bundle' ? expandBundleEntries(decodeBundle(buf)) : [buf];
    } catch {
      conn.reject('malformed', 'invalid bundle');
      return;
    }
    for (let i = 0; i < parts.length; i++) {
      if (conn.state !== 'ready') return;
      // Each bundle entry is a message for the rate limits (the first one was charged already).
      if (i > 0 && !conn.admit(0)) return;
      const p = parts[i]!;
      if (wireMessageType(p) === 'frame') {
        let f: semface.v1.Frame;
        try {
          f = conn.upTracks!.frameOf(decodeCompactFrame(p), Date.now());
        } catch (err) {
          conn.reject('invalidFrame', err instanceof UpTrackError ? err.message : 'invalid compact frame');
          continue;
        }
        this.#onFrame(conn, f);
        continue;
      }
      let env: DecodedEnvelope;
      try {
        env = decodeEnvelope(p);
      } catch (err) {
        const empty = (err as { code?: string }).code === 'SEMFACE_ERR_PROTOCOL_EMPTY_ENVELOPE';
        if (empty) conn.reject('unknownMessage', 'envelope has no known message');
        else conn.reject('malformed', 'message is not a valid semface.v1.Envelope');
        continue;
      }
      if (env.body === 'track') {
        if (!conn.admitControl()) continue;
        try {
          conn.upTracks!.announce(env.track as semface.v1.Track);
        } catch (err) {
          conn.reject('invalidFrame', (err as Error).message);
        }
        continue;
      }
      this.#dispatch(conn, env);
    }
  }

  /** Closes the socket with 4002 when the token expires (re-armed past setTimeout's range). */
  #armExpiry(conn: Connection, expiresAtS: number): void {
    const ms = expiresAtS * 1000 - Date.now();
    if (ms <= 0) {
      conn.close('tokenExpired', 'token expired');
      return;
    }
    conn.expiryTimer = setTimeout(
      () => {
        if (conn.state === 'closed') return;
        if (ms > MAX_TIMER_MS) this.#armExpiry(conn, expiresAtS);
        else conn.close('tokenExpired', 'token expired');
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    conn.expiryTimer.unref();
  }

  #dispatch(conn: Connection, env: DecodedEnvelope): void {
    const body = env.body;
    if (body === 'join' || body === 'leave' || body === 'keyFrameRequest' || body === 'ping') {
      if (!conn.admitControl()) return;
    }
    switch (env.body) {
      case 'frame':
        this.#onFrame(conn, env.frame as semface.v1.Frame);
        return;
      case 'join':
        this.#onJoin(conn, (env.join as semface.v1.Join).room);
        return;
      case 'leave':
        if (conn.room === undefined) conn.reject('notInRoom', 'not in a room');
        else this.#leave(conn, 'leave');
        return;
      case 'keyFrameRequest':
        this.#onKeyFrameRequest(conn, env.keyFrameRequest as semface.v1.KeyFrameRequest);
        return;
      case 'ping':
        conn.send({ pong: { nonce: env.ping!.nonce, sentTimeUs: env.ping!.sentTimeUs } });
        return;
      case 'pong':
        return;
      case 'hello':
        conn.reject('protocol', 'already authenticated');
        return;
      default:
        conn.reject('unknownMessage', `clients may not send ${env.body}`);
    }
  }

  #onJoin(conn: Connection, room: string): void {
    const g = conn.grants!;
    if (!isValidRoomName(room)) {
      conn.reject('protocol', 'invalid room name');
      return;
    }
    if (g.room !== ANY_ROOM && g.room !== room) {
      conn.close('forbidden', `token does not grant room '${room}'`);
      return;
    }
    if (conn.room === room) {
      conn.reject('protocol', 'already in this room');
      return;
    }
    if (conn.room !== undefined) this.#leave(conn, 'leave');
    if (this.#draining) {
      conn.close('internal', 'server is shutting down');
      return;
    }
    let state = this.#rooms.get(room);
    if (state && state.room.members.size >= this.#opts.maxRoomMembers) {
      conn.reject('forbidden', 'room is full');
      return;
    }
    if (!state) {
      const fresh = new Room<Connection>(room, this.#cacheLimits);
      // The cluster link subscribes, then asks the other nodes for a (rate-limited) sync.
      state = { room: fresh, linked: this.#cluster.openRoom(room, fresh) };
      this.#rooms.set(room, state);
      this.#metrics.rooms.set(this.#rooms.size);
    }
    const r = state.room;
    conn.room = room;
    conn.send({ joined: { room, peers: r.peers() } });
    if (conn.canSubscribe) {
      const cached = r.cached(undefined, conn.canReceiveIdentityCode);
      // A v2 member learns every track first, then gets the replay as compact frames.
      if (conn.protocol === 2) for (const t of r.tracks.snapshot()) conn.deliver(control(t));
      for (const v1 of cached) {
        const bytes = conn.protocol === 2 ? this.#compactReplay(conn, r, v1) : v1;
        if (!bytes) continue;
        conn.deliver({
          bytes,
          reliable: true,
          stream: undefined,
          kind: 'replay',
          ingressMs: performance.now(),
        });
      }
    }
    const joined = encodeEnvelope({ peerJoined: { room, peer: conn.peer } });
    for (const m of r.members.values()) m.deliver(control(joined));
    r.members.set(conn.id, conn);
    conn.log.debug({ room }, 'joined');
    // Publish only after our bus subscription exists, so replies to it are not lost.
    void state.linked.then(() => {
      if (conn.room === room) this.#busPublish(room, { envelope: joined });
    });
  }

  #leave(conn: Connection, reason: string): void {
    const room = conn.room;
    if (room === undefined) return;
    conn.room = undefined;
    const state = this.#rooms.get(room);
    if (!state) return;
    const r = state.room;
    r.members.delete(conn.id);
    r.forget(conn.id);
    const left = encodeEnvelope({ peerLeft: { room, participantId: conn.id, reason } });
    for (const m of r.members.values()) m.deliver(control(left));
    this.#busPublish(room, { envelope: left });
    if (r.empty) {
      this.#rooms.delete(room);
      this.#metrics.rooms.set(this.#rooms.size);
      this.#cluster.closeRoom(room);
    }
  }

  #onFrame(conn: Connection, f: semface.v1.Frame): void {
    const ingressMs = performance.now();
    if (conn.room === undefined) {
      conn.reject('notInRoom', 'join a room before sending frames');
      return;
    }
    if (!conn.grants!.canPublish) {
      conn.reject('forbidden', 'token has no publish grant');
      return;
    }
    const kind = frameKindName(f.kind);
    if (kind === undefined) {
      conn.reject('invalidFrame', `unknown frame kind ${f.kind}`);
      return;
    }
    if (
      f.payload.length === 0 ||
      f.stream > WireLimits.maxStreamId ||
      f.modelId.length > WireLimits.maxModelIdLength
    ) {
      conn.reject('invalidFrame', 'frame needs a payload, stream <= 255 and model id <= 64 chars');
      return;
    }
    let c = this.#framesIn.get(kind);
    if (!c) {
      c = this.#metrics.framesIn.labels(kind);
      this.#framesIn.set(kind, c);
    }
    c.inc();
    f.participantId = conn.id;
    // The first relay's clock, never the client's: receivers measure latency against it.
    f.relayTimeUs = Date.now() * 1000;
    const bytes = encodeEnvelope({ frame: f });
    const state = this.#rooms.get(conn.room)!;
    this.#fanOut(state.room, f, kind, bytes, ingressMs, conn.id);
    this.#cluster.publishFrame(conn.room, bytes, isReliableKind(f.kind));
  }

  #fanOut(
    r: Room<Connection>,
    f: semface.v1.IFrame,
    kind: string,
    bytes: Uint8Array,
    ingressMs: number,
    skip?: string,
  ): void {
    const reliable = isReliableKind(f.kind ?? 0);
    if (reliable) r.remember(f.participantId!, f.stream ?? 0, f.kind!, bytes);
    const stream = `${f.participantId}:${f.stream ?? 0}`;
    const msg = { bytes, reliable, stream, kind, ingressMs };
    // v2 members share one compact encoding, made on first need (after its Track, if new or changed).
    let v2: Outgoing | undefined;
    let announce: Outgoing | undefined;
    // Biometric frames reach only subscribers whose token grants them; the relay never decodes them.
    const biometric = isBiometricKind(f.kind ?? 0);
    for (const m of r.members.values()) {
      if (m.id === skip || !m.canSubscribe || m.state !== 'ready') continue;
      if (biometric && !m.canReceiveIdentityCode) continue;
      if (m.protocol === 1) {
        m.deliver(msg);
        continue;
      }
      if (!v2) {
        const a = r.tracks.assign(f);
        if (a.announce) announce = control(a.announce);
        v2 = { ...msg, bytes: compactOf(f, a.track) };
      }
      if (announce) m.deliver(announce);
      m.deliver(v2);
    }
  }

  /** A cached v1 frame as a compact frame for one v2 member (its Track goes first if it changed). */
  #compactReplay(conn: Connection, r: Room<Connection>, v1: Uint8Array): Uint8Array | undefined {
    let f: semface.v1.Frame;
    try {
      f = decodeEnvelope(v1).frame as semface.v1.Frame;
    } catch {
      return undefined;
    }
    const a = r.tracks.assign(f);
    if (a.announce) {
      this.#announceTrack(r, a.announce);
      conn.deliver(control(a.announce));
    }
    return compactOf(f, a.track);
  }

  /** Sends a changed track's description to every v2 member of the room. */
  #announceTrack(r: Room<Connection>, bytes: Uint8Array): void {
    const msg = control(bytes);
    for (const m of r.members.values()) if (m.protocol === 2 && m.state === 'ready') m.deliver(msg);
  }

  #onKeyFrameRequest(conn: Connection, req: semface.v1.KeyFrameRequest): void {
    if (conn.room === undefined) {
      conn.reject('notInRoom', 'join a room before requesting key frames');
      return;
    }
    if (!conn.canSubscribe) {
      conn.reject('forbidden', 'token has no subscribe grant');
      return;
    }
    const r = this.#rooms.get(conn.room)!.room;
    if (!r.has(req.participantId)) {
      conn.reject('notInRoom', `participant '${String(req.participantId).slice(0, 64)}' is not in the room`);
      return;
    }
    if (req.stream > WireLimits.maxStreamId) {
      conn.reject('invalidFrame', 'stream must be <= 255');
      return;
    }
    // Many subscribers asking at once need one key frame, which reaches all of them.
    const interval = this.#opts.keyFrameRequestIntervalMs;
    if (!r.admitKeyFrameRequest(req.participantId, req.stream, interval, performance.now())) return;
    const env: IEnvelope = {
      keyFrameRequest: { participantId: req.participantId, stream: req.stream, requesterId: conn.id },
    };
    const target = r.members.get(req.participantId);
    if (target) target.send(env);
    else this.#busPublish(conn.room, { envelope: encodeEnvelope(env) });
  }

  /** Publishes an encoded Envelope to the other nodes serving the room (signed by the cluster link). */
  #busPublish(room: string, msg: { envelope: Uint8Array }): void {
    this.#cluster.publishEnvelope(room, msg.envelope);
  }

  #beat(): void {
    for (const conn of this.#connections) {
      if (!conn.alive) {
        conn.log.info('heartbeat timeout');
        this.#metrics.errors.labels('SEMFACE_ERR_RELAY_HEARTBEAT_TIMEOUT').inc();
        conn.state = 'closed';
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.ws.terminate();
      }
    }
  }

  /**
   * Stops admitting joins, lets each subscriber's queue drain (up to `timeoutMs`), then closes
   * every socket with 1001 (going away).
   */
  async drain(timeoutMs: number): Promise<void> {
    this.#draining = true;
    clearInterval(this.#heartbeat);
    // No more node heartbeats; PeerLeft of the closing sockets still goes out on the bus.
    this.#cluster.stop();
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      let busy = false;
      for (const c of this.#connections) if (c.queue.backlogBytes > 0) busy = true;
      if (!busy) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const closing = [...this.#connections].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === c.ws.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          c.ws.close(1001, 'server shutting down');
          setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 1_000).unref();
        }),
    );
    await Promise.all(closing);
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

function control(bytes: Uint8Array) {
  return { bytes, reliable: true, stream: undefined, kind: undefined, ingressMs: 0 };
}
