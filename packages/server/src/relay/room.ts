import type { IPeer } from '@semface/protocol';
import { FrameKind, isBiometricKind } from '@semface/protocol';
import { RoomTracks } from './wire-v2.js';

/** A local member as the room sees it. */
export interface RoomMember {
  readonly id: string;
  readonly peer: IPeer;
  readonly canSubscribe: boolean;
}

interface CachedFrame {
  participantId: string;
  kind: number;
  bytes: Uint8Array;
}

/** Bounds of a room's replay cache (see RelayServerOptions). */
export interface RoomCacheLimits {
  /** Most cached frames (stream x kind) per publisher. */
  readonly maxFramesPerPublisher: number;
  /** Most cached bytes in the room. */
  readonly maxBytes: number;
  /** Largest frame that is cached, bytes. */
  readonly maxFrameBytes: number;
}

const UNBOUNDED: RoomCacheLimits = Object.freeze({
  maxFramesPerPublisher: Number.POSITIVE_INFINITY,
  maxBytes: Number.POSITIVE_INFINITY,
  maxFrameBytes: Number.POSITIVE_INFINITY,
});

/**
 * One room on one node: local members, peers known on other nodes, and each publisher's last
 * key and identity frame per stream (sent at once to late joiners).
 */
export class Room<M extends RoomMember = RoomMember> {
  readonly name: string;
  readonly members = new Map<string, M>();
  /** Peers on other nodes: participant id -> peer and node id. */
  readonly remote = new Map<string, { peer: IPeer; node: string }>();
  /** Insertion order is age order: an updated entry is re-inserted, so eviction takes the oldest. */
  readonly #cache = new Map<string, CachedFrame>();
  /** Protocol v2 track numbers of this room's publishers, for v2 members on this node. */
  readonly tracks = new RoomTracks();
  readonly #perPublisher = new Map<string, number>();
  readonly #limits: RoomCacheLimits;
  #bytes = 0;
  /** Last forwarded key-frame request per `participant\0stream`, performance.now() ms. */
  readonly #keyRequests = new Map<string, number>();

  constructor(name: string, limits: RoomCacheLimits = UNBOUNDED) {
    this.name = name;
    this.#limits = limits;
  }

  /** Bytes held by the replay cache. */
  get cachedBytes(): number {
    return this.#bytes;
  }

  /** Local and remote peers. */
  peers(): IPeer[] {
    return [
      ...[...this.members.values()].map((m) => m.peer),
      ...[...this.remote.values()].map((r) => r.peer),
    ];
  }

  has(participantId: string): boolean {
    return this.members.has(participantId) || this.remote.has(participantId);
  }

  /**
   * Remembers a key or identity frame (encoded Envelope) as its stream's latest, within the
   * limits: a publisher over its frame count loses its own oldest entry, a room over its bytes
   * loses the oldest entries of whichever publisher holds the most. False if not cached (too big).
   */
  remember(participantId: string, stream: number, kind: number, bytes: Uint8Array): boolean {
    const lim = this.#limits;
    const key = `${participantId}\u0000${stream}\u0000${kind}`;
    const old = this.#cache.get(key);
    if (old) this.#drop(key, old);
    if (bytes.length > lim.maxFrameBytes) return false;
    this.#cache.set(key, { participantId, kind, bytes });
    this.#bytes += bytes.length;
    const count = (this.#perPublisher.get(participantId) ?? 0) + 1;
    this.#perPublisher.set(participantId, count);
    if (count > lim.maxFramesPerPublisher) this.#evictOldest(participantId);
    while (this.#bytes > lim.maxBytes) this.#evictOldest(this.#largestPublisher());
    return true;
  }

  #drop(key: string, c: CachedFrame): void {
    this.#cache.delete(key);
    this.#bytes -= c.bytes.length;
    const n = (this.#perPublisher.get(c.participantId) ?? 1) - 1;
    if (n <= 0) this.#perPublisher.delete(c.participantId);
    else this.#perPublisher.set(c.participantId, n);
  }

  #evictOldest(participantId: string | undefined): void {
    for (const [key, c] of this.#cache) {
      if (participantId === undefined || c.participantId === participantId) {
        this.#drop(key, c);
        return;
      }
    }
  }

  #largestPublisher(): string | undefined {
    const bytes = new Map<string, number>();
    let best: string | undefined;
    let most = -1;
    for (const c of this.#cache.values()) {
      const b = (bytes.get(c.participantId) ?? 0) + c.bytes.length;
      bytes.set(c.participantId, b);
      if (b > most) {
        most = b;
        best = c.participantId;
      }
    }
    return best;
  }

  /**
   * True if a key-frame request for this publisher stream may be forwarded now; requests within
   * `intervalMs` of the last forwarded one are coalesced (the key frame it brings reaches every
   * subscriber anyway).
   */
  admitKeyFrameRequest(participantId: string, stream: number, intervalMs: number, now: number): boolean {
    const key = `${participantId}\u0000${stream}`;
    const last = this.#keyRequests.get(key);
    if (last !== undefined && now - last < intervalMs) return false;
    this.#keyRequests.set(key, now);
    return true;
  }

  /**
   * Cached frames to replay: identity (and identity-code) frames first, then key frames.
   * `biometric` false leaves out identity-code frames (the receiver lacks the grant).
   */
  cached(participantId?: string, biometric = true): Uint8Array[] {
    const list = [...this.#cache.values()].filter(
      (c) =>
        (participantId === undefined || c.participantId === participantId) &&
        (biometric || !isBiometricKind(c.kind)),
    );
    const rank = (k: number) => (k === FrameKind.key ? 1 : 0);
    return list.sort((a, b) => rank(a.kind) - rank(b.kind)).map((c) => c.bytes);
  }

  /** Drops everything cached for a participant that left. */
  forget(participantId: string): void {
    for (const [key, c] of this.#cache) if (c.participantId === participantId) this.#drop(key, c);
    this.tracks.forget(participantId);
    const prefix = `${participantId}\u0000`;
    for (const key of this.#keyRequests.keys()) if (key.startsWith(prefix)) this.#keyRequests.delete(key);
  }

  get empty(): boolean {
    return this.members.size === 0;
  }
}
