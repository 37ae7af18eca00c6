import { randomInt } from 'node:crypto';
import {
  type FrameKindName,
  decodeBusMessage,
  decodeEnvelope,
  encodeBusMessage,
  encodeEnvelope,
  type semface,
} from '@semface/protocol';
import type { Logger } from 'pino';
import type { Bus, BusUnsubscribe } from '../bus/bus.js';
import {
  BUS_HEADER_BYTES,
  BusCodec,
  CLUSTER_CHANNEL_LABEL,
  deriveBusKey,
  roomChannelLabel,
} from '../bus/bus-codec.js';
import type { ResolvedRelayOptions } from '../config/options.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';
import type { Room, RoomMember } from '../relay/room.js';
import { CoalescingLimiter, type LimiterOutcome } from './coalescing-limiter.js';
import {
  ClusterLimits,
  NODE_ID_PATTERN,
  PARTICIPANT_ID_PATTERN,
  PEER_LEFT_REASON_PATTERN,
} from './limits.js';
import { type NodeGoneReason, type NodeRecord, NodeTable } from './node-table.js';
import type { BusRejectReason } from './reject-reason.js';
import { packSnapshot } from './snapshot.js';
import { busBody, checkFrame, cleanPeer } from './validate.js';

/** What the cluster link needs from the relay core. */
export interface ClusterHost<M extends RoomMember> {
  /** Delivers a frame from another node to local subscribers (and caches key/identity frames). */
  fanOut(room: Room<M>, frame: semface.v1.Frame, kind: FrameKindName, bytes: Uint8Array): void;
  /** Queues a reliable control message (PeerJoined, PeerLeft, KeyFrameRequest) for one member. */
  control(member: M, bytes: Uint8Array): void;
}

/** Options the cluster link reads. */
export type ClusterLinkOptions = Pick<
  ResolvedRelayOptions,
  | 'tokenSecret'
  | 'busSecret'
  | 'maxMessageBytes'
  | 'maxRoomMembers'
  | 'maxConnections'
  | 'clusterHeartbeatMs'
  | 'nodeTimeoutMs'
  | 'clusterSyncIntervalMs'
>;

interface PendingSnapshot {
  parts: number;
  next: number;
  /** Participant ids listed so far. */
  seen: Set<string>;
}

interface LinkRoom<M extends RoomMember> {
  readonly name: string;
  readonly room: Room<M>;
  /** Channel label the HMAC covers. */
  readonly label: string;
  unsubscribe: Promise<BusUnsubscribe>;
  open: boolean;
  /** Remote participant ids per announcing node. */
  readonly byNode: Map<string, Set<string>>;
  /** Multipart snapshots being received, by node. */
  readonly pending: Map<string, PendingSnapshot>;
  /** When this node last asked for snapshots of the room, performance.now() ms. */
  requestedMs: number;
  /** When this node started serving the room, performance.now() ms. */
  readonly openedMs: number;
}

/** BusMessage fields a publish sets (origin, incarnation, seq and time are added). */
type Outgoing = Omit<semface.v1.IBusMessage, 'originNode' | 'incarnation' | 'seq' | 'sentTimeMs'>;

/**
 * The bus link of one relay node: signs and verifies every bus message, validates what other
 * nodes send before any of it reaches clients or caches, tracks node liveness (heartbeats on
 * the cluster channel, timeouts, restarts), keeps per-room views of remote peers consistent
 * (snapshots replace a node's view; reconnects re-sync), and rate-limits room sync traffic.
 * Never throws into the bus: a bad message is counted in `semface_relay_bus_rejected_total`
 * and dropped.
 */
export class ClusterLink<M extends RoomMember> {
  readonly nodeId: string;
  /** This process's boot id (BusMessage.incarnation). */
  readonly incarnation: number;
  readonly #bus: Bus;
  readonly #opts: ClusterLinkOptions;
  readonly #log: Logger;
  readonly #metrics: RelayMetrics;
  readonly #host: ClusterHost<M>;
  readonly #codec: BusCodec;
  readonly #maxBusBytes: number;
  /** Bytes of snapshot content per part (leaves room for the BusMessage fields). */
  readonly #partBudget: number;
  readonly #rooms = new Map<string, LinkRoom<M>>();
  readonly #nodes: NodeTable;
  /** Sync requests per room. */
  readonly #requests: CoalescingLimiter;
  /** Sync answers per room and requesting node. */
  readonly #answers: CoalescingLimiter;
  /** Relay-made key-frame requests per local publisher, performance.now() ms. */
  readonly #keyRequests = new Map<string, number>();
  readonly #rejected = new Map<string, { inc(): void }>();
  readonly #clusterSub: Promise<BusUnsubscribe>;
  readonly #timer: NodeJS.Timeout;
  #seq = 0;
  #stopped = false;
  /** When this link started, performance.now() ms. */
  readonly #startedMs = performance.now();
  /** Encoded `origin_node` field of this node's messages (tag, length, id). */
  readonly #originPrefix: Uint8Array;
  #echoes = 0;
  /** The bus was seen disconnected: nobody could be heard, so no node may time out meanwhile. */
  #busDown = false;
  #lastRejectLog = 0;
  #lastConflictLog = 0;

  constructor(
    bus: Bus,
    opts: ClusterLinkOptions,
    nodeId: string,
    log: Logger,
    metrics: RelayMetrics,
    host: ClusterHost<M>,
  ) {
    this.#bus = bus;
    this.#opts = opts;
    this.nodeId = nodeId;
    this.incarnation = Date.now() * 1024 + randomInt(1024);
    this.#originPrefix = encodeBusMessage({ originNode: nodeId });
    this.#log = log.child({ component: 'cluster' });
    this.#metrics = metrics;
    this.#host = host;
    this.#codec = new BusCodec(deriveBusKey(opts.busSecret ?? opts.tokenSecret));
    this.#maxBusBytes = opts.maxMessageBytes + ClusterLimits.busOverheadBytes;
    this.#partBudget = opts.maxMessageBytes + ClusterLimits.busOverheadBytes / 2;
    this.#nodes = new NodeTable(ClusterLimits.maxNodes, ClusterLimits.maxClockSkewMs, (rec, why) =>
      this.#nodeGone(rec, why),
    );
    const interval = opts.clusterSyncIntervalMs;
    this.#requests = new CoalescingLimiter(interval, (room, resync) => this.#sendSyncRequest(room, resync));
    this.#answers = new CoalescingLimiter(interval, (key, resync) => {
      const cut = key.indexOf('\u0000');
      this.#answer(key.slice(0, cut), key.slice(cut + 1), resync);
    });
    let lastBusLog = 0;
    bus.onError((err) => {
      metrics.busErrors.inc();
      // During an outage every publish fails; one log line per second is enough.
      const now = performance.now();
      if (now - lastBusLog < 1000) return;
      lastBusLog = now;
      this.#log.warn({ err: err.message, bus: bus.kind }, 'bus error');
    });
    bus.onReconnect(() => this.#guard(() => this.#onReconnect()));
    this.#clusterSub = bus
      .subscribeCluster((data) => this.#guard(() => this.#onCluster(data)))
      .catch((err: Error) => {
        metrics.busErrors.inc();
        this.#log.warn({ err: err.message }, 'bus cluster subscribe failed');
        return async () => {};
      });
    void this.#clusterSub.then(() => this.#heartbeat());
    this.#timer = setInterval(() => this.#guard(() => this.#tick()), opts.clusterHeartbeatMs);
    this.#timer.unref();
  }

  /** Other nodes heard within nodeTimeoutMs. */
  get liveNodes(): number {
    return this.#nodes.size;
  }

  /**
   * Starts serving a room on the bus: subscribes, then asks the other nodes for their peers and
   * cached frames (at most once per clusterSyncIntervalMs per room; a re-opened room waits for
   * the rest of the interval). Resolves (never rejects) once the subscription exists.
   */
  openRoom(name: string, room: Room<M>): Promise<void> {
    this.closeRoom(name);
    const lr: LinkRoom<M> = {
      name,
      room,
      label: roomChannelLabel(name),
      unsubscribe: Promise.resolve(async () => {}),
      open: true,
      byNode: new Map(),
      pending: new Map(),
      requestedMs: Number.NEGATIVE_INFINITY,
      openedMs: performance.now(),
    };
    this.#rooms.set(name, lr);
    lr.unsubscribe = this.#bus
      .subscribe(name, (data) => this.#guard(() => this.#onRoom(lr, data)))
      .catch((err: Error) => {
        this.#metrics.busErrors.inc();
        this.#log.warn({ err: err.message, room: name }, 'bus subscribe failed');
        return async () => {};
      });
    return lr.unsubscribe.then(() => {
      if (lr.open) this.#countSync(this.#requests.request(name, false, true), 'request');
    });
  }

  /** Stops serving a room (its last local member left); remote views of it are dropped. */
  closeRoom(name: string): void {
    const lr = this.#rooms.get(name);
    if (!lr) return;
    lr.open = false;
    this.#rooms.delete(name);
    for (const [node, ids] of lr.byNode) {
      const rec = this.#nodes.get(node);
      if (rec) rec.peers = Math.max(0, rec.peers - ids.size);
    }
    this.#requests.cancel(name);
    this.#answers.cancelPrefix(`${name}\u0000`);
    void lr.unsubscribe.then((u) => u()).catch(() => {});
  }

  /** Publishes an encoded Envelope (Frame, PeerJoined, PeerLeft, KeyFrameRequest) to a room. */
  publishEnvelope(room: string, envelope: Uint8Array): void {
    this.#publishRoom(room, { envelope });
  }

  /**
   * Publishes a Frame envelope when another node is alive. Key, identity and identity-code frames
   * then always go; a delta goes
   * only where it can be of use: while the room is new here (members elsewhere may not be known
   * yet) or when another node has announced members in it. A room served by one node then costs
   * no signing and no bus traffic per delta; a delta missed in the join window shows as a gap and
   * the receiver asks for a key frame.
   */
  publishFrame(room: string, envelope: Uint8Array, reliable: boolean): void {
    const lr = this.#rooms.get(room);
    if (!lr) return;
    const now = performance.now();
    // While the room or this node is new, other nodes may not be known yet: send everything.
    const early =
      now - lr.openedMs < 2 * this.#opts.clusterSyncIntervalMs ||
      now - this.#startedMs < this.#opts.nodeTimeoutMs;
    // No other node alive: nobody to receive it (a node that appears asks for a sync first).
    if (!early && this.#nodes.size === 0) return;
    let elsewhere = reliable || early;
    for (const ids of lr.byNode.values()) {
      if (ids.size > 0) {
        elsewhere = true;
        break;
      }
    }
    if (elsewhere) this.#publishRoom(room, { envelope });
  }

  /** Stops heartbeats, timers and the cluster subscription; envelopes can still be published (drain). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#requests.close();
    this.#answers.close();
    void this.#clusterSub.then((u) => u()).catch(() => {});
  }

  // ---- outgoing ----

  #publishRoom(room: string, fields: Outgoing): void {
    this.#metrics.busMessagesOut.inc();
    this.#bus.publish(room, this.#codec.seal(roomChannelLabel(room), this.#encode(fields)));
  }

  #encode(fields: Outgoing): Uint8Array {
    return encodeBusMessage({
      ...fields,
      originNode: this.nodeId,
      incarnation: this.incarnation,
      seq: ++this.#seq,
      sentTimeMs: Date.now(),
    });
  }

  #heartbeat(): void {
    if (this.#stopped) return;
    const body = this.#encode({ heartbeat: { intervalMs: this.#opts.clusterHeartbeatMs } });
    this.#metrics.busMessagesOut.inc();
    this.#bus.publishCluster(this.#codec.seal(CLUSTER_CHANNEL_LABEL, body));
  }

  /**
   * Publishes this node's snapshot of a room in parts (peers first, then cached frames).
   * `target` set: an answer to that node; unset: a broadcast that also asks for answers.
   */
  #publishSnapshot(lr: LinkRoom<M>, withFrames: boolean, target: string | undefined, resync: boolean): void {
    const r = lr.room;
    const peers = [...r.members.values()].map((m) => m.peer);
    const frames = withFrames ? [...r.members.keys()].flatMap((id) => r.cached(id)) : [];
    const parts = packSnapshot(peers, frames, this.#partBudget);
    parts.forEach((p, i) => {
      const last = i === parts.length - 1;
      this.#publishRoom(lr.name, {
        snapshot: { peers: p.peers, frames: p.frames, part: i, parts: parts.length },
        ...(target ? { targetNode: target } : {}),
        ...(!target && last ? { syncRequest: true, resync } : {}),
      });
    });
  }

  /** Broadcasts this node's peers of the room and asks the others for theirs. */
  #sendSyncRequest(name: string, resync: boolean): void {
    const lr = this.#rooms.get(name);
    if (!lr?.open) return;
    // Frames only when others may have missed them (reconnect); a fresh room has sent them live.
    this.#publishSnapshot(lr, resync, undefined, resync);
    lr.requestedMs = performance.now();
    this.#metrics.busSync.labels('request').inc();
  }

  #answer(name: string, node: string, resync: boolean): void {
    const lr = this.#rooms.get(name);
    if (!lr?.open || !this.#nodes.get(node)) return;
    this.#publishSnapshot(lr, true, node, false);
    this.#metrics.busSync.labels('answer').inc();
    if (resync) this.#askKeyFrames(lr);
  }

  /**
   * Asks this node's publishers in the room for key frames (requester id empty: the relay
   * asks), at most once per sync interval each: subscribers elsewhere lost deltas.
   */
  #askKeyFrames(lr: LinkRoom<M>): void {
    const now = performance.now();
    for (const m of lr.room.members.values()) {
      if (!m.peer.canPublish) continue;
      const last = this.#keyRequests.get(m.id);
      if (last !== undefined && now - last < this.#opts.clusterSyncIntervalMs) continue;
      this.#keyRequests.set(m.id, now);
      const streams = new Set<number>();
      for (const bytes of lr.room.cached(m.id)) {
        try {
          const f = decodeEnvelope(bytes).frame;
          if (f) streams.add(f.stream ?? 0);
        } catch {
          // Cached bytes were encoded by this node; nothing to recover from here.
        }
      }
      if (streams.size === 0) streams.add(0);
      for (const stream of streams) {
        const req = encodeEnvelope({ keyFrameRequest: { participantId: m.id, stream, requesterId: '' } });
        this.#host.control(m, req);
      }
    }
  }

  /** Counts a rate-limited sync (what was sent is counted where it is sent). */
  #countSync(outcome: LimiterOutcome, kind: 'request' | 'answer'): void {
    if (outcome !== 'ran') this.#metrics.busSync.labels(`${kind}_${outcome}`).inc();
  }

  // ---- incoming ----

  /** Runs a handler; a bug costs one message, never the process. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#reject('internal');
      this.#log.error({ err }, 'cluster handler failed');
    }
  }

  #reject(reason: BusRejectReason): undefined {
    let c = this.#rejected.get(reason);
    if (!c) {
      c = this.#metrics.busRejected.labels(reason);
      this.#rejected.set(reason, c);
    }
    c.inc();
    const now = performance.now();
    if (now - this.#lastRejectLog >= 1000) {
      this.#lastRejectLog = now;
      this.#log.debug({ reason }, 'bus message rejected');
    }
    return undefined;
  }

  /**
   * Size, framing, signature, decoding, origin, target, clock, incarnation and replay checks.
   * Returns the message if this node should handle it.
   */
  #admit(label: string, data: Uint8Array): semface.v1.BusMessage | undefined {
    if (data.length > this.#maxBusBytes) return this.#reject('too_large');
    // Buses hand a node its own messages back; skip the HMAC for those (most of a node's bus
    // input in a two-node room). Every 64th still goes the full way, so another process using
    // this node id is still detected (node_conflict).
    if (this.#isOwnEcho(data) && (++this.#echoes & 63) !== 0) return undefined;
    const body = this.#codec.open(label, data);
    if (typeof body === 'string') return this.#reject(body);
    let msg: semface.v1.BusMessage;
    try {
      msg = decodeBusMessage(body);
    } catch {
      return this.#reject('malformed');
    }
    const origin = msg.originNode;
    if (!NODE_ID_PATTERN.test(origin)) return this.#reject('bad_node');
    if (msg.targetNode !== '') {
      if (!NODE_ID_PATTERN.test(msg.targetNode)) return this.#reject('bad_node');
      if (msg.targetNode !== this.nodeId) return undefined;
    }
    if (origin === this.nodeId) {
      if (msg.incarnation === this.incarnation) return undefined;
      const now = performance.now();
      if (now - this.#lastConflictLog >= 10_000) {
        this.#lastConflictLog = now;
        this.#log.warn({ node: origin }, 'another process publishes under this node id');
      }
      return this.#reject('node_conflict');
    }
    const r = this.#nodes.admit(
      origin,
      msg.incarnation,
      msg.seq,
      msg.sentTimeMs,
      Date.now(),
      performance.now(),
    );
    if (!r.ok) return this.#reject(r.reason);
    if (r.revived) this.#nodeRevived(origin);
    this.#metrics.clusterNodes.set(this.#nodes.size);
    this.#metrics.busMessagesIn.inc();
    return msg;
  }

  /** True if the message body starts with this node's `origin_node` field (field 1, encoded first). */
  #isOwnEcho(data: Uint8Array): boolean {
    const p = this.#originPrefix;
    if (data.length < BUS_HEADER_BYTES + p.length) return false;
    for (let i = 0; i < p.length; i++) if (data[BUS_HEADER_BYTES + i] !== p[i]) return false;
    return true;
  }

  #onCluster(data: Uint8Array): void {
    const msg = this.#admit(CLUSTER_CHANNEL_LABEL, data);
    if (!msg) return;
    const body = busBody(msg);
    if (body === undefined) this.#reject('unknown_body');
    else if (body !== 'heartbeat') this.#reject('wrong_channel');
    // A heartbeat's whole effect (the node is alive) happened in #admit.
  }

  #onRoom(lr: LinkRoom<M>, data: Uint8Array): void {
    if (!lr.open) return;
    const msg = this.#admit(lr.label, data);
    if (!msg) return;
    const origin = msg.originNode;
    switch (busBody(msg)) {
      case 'envelope':
        this.#onEnvelope(lr, origin, msg.envelope);
        return;
      case 'snapshot':
        this.#onSnapshot(lr, origin, msg.snapshot as semface.v1.BusMessage.Snapshot);
        if (msg.syncRequest) this.#queueAnswer(lr, origin, msg.resync);
        return;
      case 'syncRequest':
        this.#queueAnswer(lr, origin, msg.resync);
        return;
      case 'heartbeat':
        this.#reject('wrong_channel');
        return;
      default:
        this.#reject('unknown_body');
    }
  }

  #queueAnswer(lr: LinkRoom<M>, origin: string, resync: boolean): void {
    this.#countSync(this.#answers.request(`${lr.name}\u0000${origin}`, resync, true), 'answer');
  }

  #onEnvelope(lr: LinkRoom<M>, origin: string, bytes: Uint8Array): void {
    let env: ReturnType<typeof decodeEnvelope>;
    try {
      env = decodeEnvelope(bytes);
    } catch {
      this.#reject('malformed');
      return;
    }
    switch (env.body) {
      case 'frame':
        this.#onFrame(lr, origin, env.frame as semface.v1.Frame, bytes, true);
        return;
      case 'peerJoined': {
        const pj = env.peerJoined as semface.v1.PeerJoined;
        if (pj.room !== lr.name) return void this.#reject('wrong_room');
        const peer = cleanPeer(pj.peer);
        if (!peer) return void this.#reject('invalid_peer');
        this.#addPeer(lr, origin, peer);
        return;
      }
      case 'peerLeft': {
        const pl = env.peerLeft as semface.v1.PeerLeft;
        if (pl.room !== lr.name) return void this.#reject('wrong_room');
        if (!PARTICIPANT_ID_PATTERN.test(pl.participantId) || !PEER_LEFT_REASON_PATTERN.test(pl.reason)) {
          return void this.#reject('invalid_peer');
        }
        const cur = lr.room.remote.get(pl.participantId);
        // Unknown here (its join was never seen): nothing to undo.
        if (!cur) return;
        if (cur.node !== origin) return void this.#reject('conflict');
        this.#removePeer(lr, pl.participantId, pl.reason);
        return;
      }
      case 'keyFrameRequest': {
        const kr = env.keyFrameRequest as semface.v1.KeyFrameRequest;
        if (kr.stream > 255 || (kr.requesterId !== '' && !PARTICIPANT_ID_PATTERN.test(kr.requesterId))) {
          return void this.#reject('invalid_frame');
        }
        const target = lr.room.members.get(kr.participantId);
        if (!target) return;
        const req = { participantId: kr.participantId, stream: kr.stream, requesterId: kr.requesterId };
        this.#host.control(target, encodeEnvelope({ keyFrameRequest: req }));
        return;
      }
      default:
        this.#reject('unknown_body');
    }
  }

  /**
   * A frame is delivered (and, if key/identity, cached) only if it passes the client-frame
   * checks and its publisher is a peer the same node announced in this room.
   */
  #onFrame(lr: LinkRoom<M>, origin: string, f: semface.v1.Frame, bytes: Uint8Array, live: boolean): void {
    const kind = checkFrame(f);
    if (kind === undefined) return void this.#reject('invalid_frame');
    const owner = lr.room.remote.get(f.participantId);
    if (!owner || owner.node !== origin) {
      // Live frames of a publisher announced by the snapshot this node is waiting for: normal
      // right after the room opened here (the snapshot brings its key frames), not an attack.
      const awaited = performance.now() - lr.requestedMs < 2 * this.#opts.clusterSyncIntervalMs;
      if (!owner && live && awaited) return;
      this.#reject('unknown_peer');
      // Its PeerJoined may have been lost: ask (rate-limited, never deferred) for a snapshot.
      if (!owner && live) this.#countSync(this.#requests.request(lr.name, false, false), 'request');
      return;
    }
    this.#host.fanOut(lr.room, f, kind, bytes);
  }

  #addPeer(lr: LinkRoom<M>, node: string, peer: semface.v1.IPeer): void {
    const id = peer.participantId!;
    if (lr.room.members.has(id)) return void this.#reject('conflict');
    const cur = lr.room.remote.get(id);
    if (cur) {
      if (cur.node !== node) this.#reject('conflict');
      return;
    }
    const ids = lr.byNode.get(node) ?? new Set<string>();
    if (ids.size >= this.#opts.maxRoomMembers) return void this.#reject('room_full');
    const rec = this.#nodes.get(node);
    if (!rec) return;
    if (rec.peers >= this.#opts.maxConnections) return void this.#reject('node_full');
    lr.room.remote.set(id, { peer, node });
    ids.add(id);
    lr.byNode.set(node, ids);
    rec.peers++;
    const bytes = encodeEnvelope({ peerJoined: { room: lr.name, peer } });
    for (const m of lr.room.members.values()) this.#host.control(m, bytes);
  }

  #removePeer(lr: LinkRoom<M>, id: string, reason: string): void {
    const cur = lr.room.remote.get(id);
    if (!cur) return;
    lr.room.remote.delete(id);
    lr.room.forget(id);
    const ids = lr.byNode.get(cur.node);
    ids?.delete(id);
    if (ids?.size === 0) lr.byNode.delete(cur.node);
    const rec = this.#nodes.get(cur.node);
    if (rec && rec.peers > 0) rec.peers--;
    const bytes = encodeEnvelope({ peerLeft: { room: lr.name, participantId: id, reason } });
    for (const m of lr.room.members.values()) this.#host.control(m, bytes);
  }

  /**
   * One part of a node's room snapshot: its peers are added at once (PeerJoined), frames
   * delivered, and after the last part every peer of that node not listed gets PeerLeft.
   */
  #onSnapshot(lr: LinkRoom<M>, origin: string, s: semface.v1.BusMessage.Snapshot): void {
    if (s.parts < 1 || s.parts > ClusterLimits.maxSnapshotParts || s.part >= s.parts) {
      lr.pending.delete(origin);
      return void this.#reject('invalid_snapshot');
    }
    let p = lr.pending.get(origin);
    if (s.part === 0) p = { parts: s.parts, next: 0, seen: new Set() };
    else if (!p || p.next !== s.part || p.parts !== s.parts) {
      lr.pending.delete(origin);
      return void this.#reject('snapshot_gap');
    }
    for (const raw of s.peers) {
      const peer = cleanPeer(raw);
      if (!peer) {
        this.#reject('invalid_peer');
        continue;
      }
      if (p.seen.size <= this.#opts.maxRoomMembers) p.seen.add(peer.participantId!);
      this.#addPeer(lr, origin, peer);
    }
    for (const bytes of s.frames) {
      let env: ReturnType<typeof decodeEnvelope>;
      try {
        env = decodeEnvelope(bytes);
      } catch {
        this.#reject('malformed');
        continue;
      }
      if (env.body !== 'frame') {
        this.#reject('unknown_body');
        continue;
      }
      this.#onFrame(lr, origin, env.frame as semface.v1.Frame, bytes, false);
    }
    p.next++;
    if (p.next < p.parts) {
      lr.pending.set(origin, p);
      return;
    }
    lr.pending.delete(origin);
    for (const id of [...(lr.byNode.get(origin) ?? [])])
      if (!p.seen.has(id)) this.#removePeer(lr, id, 'leave');
  }

  /** A node died or restarted: its peers leave every room, their cached frames are forgotten. */
  #nodeGone(rec: NodeRecord, reason: NodeGoneReason): void {
    this.#metrics.clusterNodesLost.labels(reason).inc();
    this.#log.info({ node: rec.id, reason, peers: rec.peers }, 'cluster node gone');
    for (const lr of this.#rooms.values()) {
      lr.pending.delete(rec.id);
      for (const id of [...(lr.byNode.get(rec.id) ?? [])]) this.#removePeer(lr, id, 'timeout');
    }
    this.#metrics.clusterNodes.set(this.#nodes.size);
  }

  /**
   * A node declared dead is heard again with the same incarnation (it paused or was cut off
   * longer than nodeTimeoutMs but kept its peers): every open room asks for snapshots again.
   */
  #nodeRevived(id: string): void {
    this.#log.info({ node: id }, 'cluster node back');
    for (const lr of this.#rooms.values()) {
      if (lr.open) this.#countSync(this.#requests.request(lr.name, false, true), 'request');
    }
  }

  #tick(): void {
    this.#heartbeat();
    const now = performance.now();
    if (!this.#bus.connected) {
      this.#busDown = true;
    } else {
      if (this.#busDown) {
        this.#busDown = false;
        this.#nodes.refreshAll(now);
      }
      this.#nodes.expire(now, Date.now(), this.#opts.nodeTimeoutMs);
    }
    this.#metrics.clusterNodes.set(this.#nodes.size);
    this.#requests.prune();
    this.#answers.prune();
    for (const [id, t] of this.#keyRequests) {
      if (now - t >= this.#opts.clusterSyncIntervalMs) this.#keyRequests.delete(id);
    }
  }

  /**
   * The bus is back after a drop: whatever other nodes published meanwhile is lost. Every room
   * re-announces its peers (with cached frames) and asks for the others' snapshots, local
   * publishers are asked for key frames, and nodes get a fresh timeout.
   */
  #onReconnect(): void {
    if (this.#stopped) return;
    this.#metrics.busResyncs.inc();
    this.#busDown = false;
    this.#nodes.refreshAll(performance.now());
    this.#heartbeat();
    for (const lr of this.#rooms.values()) {
      if (!lr.open) continue;
      this.#countSync(this.#requests.request(lr.name, true, true), 'request');
      this.#askKeyFrames(lr);
    }
    this.#log.info({ rooms: this.#rooms.size }, 'bus reconnected: rooms re-synced');
  }
}

/** Bytes a bus message may take at most for a given maxMessageBytes. */
export function maxBusMessageBytes(maxMessageBytes: number): number {
  return maxMessageBytes + ClusterLimits.busOverheadBytes;
}
