import type { IPeer } from '@semface/protocol';
import { FrameKind } from '@semface/protocol';

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

/**
 * One room on one node: local members, peers known on other nodes, and each publisher's last
 * key and identity frame per stream (sent at once to late joiners).
 */
export class Room<M extends RoomMember = RoomMember> {
  readonly name: string;
  readonly members = new Map<string, M>();
  /** Peers on other nodes: participant id -> peer and node id. */
  readonly remote = new Map<string, { peer: IPeer; node: string }>();
  readonly #cache = new Map<string, CachedFrame>();

  constructor(name: string) {
    this.name = name;
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

  /** Remembers a key or identity frame (encoded Envelope) as its stream's latest. */
  remember(participantId: string, stream: number, kind: number, bytes: Uint8Array): void {
    this.#cache.set(`${participantId}\u0000${stream}\u0000${kind}`, { participantId, kind, bytes });
  }

  /** Cached frames to replay: identity frames first, then key frames. */
  cached(participantId?: string): Uint8Array[] {
    const list = [...this.#cache.values()].filter(
      (c) => participantId === undefined || c.participantId === participantId,
    );
    const rank = (k: number) => (k === FrameKind.identity ? 0 : 1);
    return list.sort((a, b) => rank(a.kind) - rank(b.kind)).map((c) => c.bytes);
  }

  /** Drops everything cached for a participant that left. */
  forget(participantId: string): void {
    for (const [key, c] of this.#cache) if (c.participantId === participantId) this.#cache.delete(key);
  }

  get empty(): boolean {
    return this.members.size === 0;
  }
}
