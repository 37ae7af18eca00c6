import { ReplayWindow } from '../bus/replay-window.js';
import type { BusRejectReason } from './reject-reason.js';

/** One other relay node as this node knows it. */
export interface NodeRecord {
  readonly id: string;
  /** Boot id (BusMessage.incarnation); larger = later start. */
  readonly incarnation: number;
  /** When a valid message from it last arrived, performance.now() ms. */
  lastSeenMs: number;
  readonly window: ReplayWindow;
  /** Remote peers it has announced to this node, all rooms together. */
  peers: number;
}

/** Why a node left the table. */
export type NodeGoneReason = 'timeout' | 'restart';

/**
 * Result of {@link NodeTable.admit}. `revived`: the node had been declared dead but its same
 * incarnation is heard again (a pause or partition longer than the timeout): its peers were
 * dropped here while it kept them, so rooms need a re-sync.
 */
export type AdmitResult =
  | { ok: true; node: NodeRecord; revived: boolean }
  | { ok: false; reason: BusRejectReason };

/** How long a dead incarnation's replay window is kept, ms (a revival within it is recognised). */
const TOMBSTONE_MS = 5 * 60_000;

/**
 * Liveness, incarnations and replay filtering of the other nodes. A node is alive while it was
 * heard within the timeout; a message with a larger incarnation under a known id replaces the
 * old incarnation (restart). A dead incarnation keeps its replay window for a while
 * (tombstone): earlier incarnations stay refused, replays of its old messages stay refused,
 * and genuinely new messages from it revive it.
 */
export class NodeTable {
  readonly #nodes = new Map<string, NodeRecord>();
  readonly #tombstones = new Map<string, { incarnation: number; window: ReplayWindow; untilMs: number }>();
  readonly #maxNodes: number;
  readonly #maxSkewMs: number;
  readonly #onGone: (node: NodeRecord, reason: NodeGoneReason) => void;

  /**
   * @param onGone called synchronously when a node dies or restarts, after it left the table
   *   and before a new incarnation is added.
   */
  constructor(
    maxNodes: number,
    maxSkewMs: number,
    onGone: (node: NodeRecord, reason: NodeGoneReason) => void,
  ) {
    this.#maxNodes = maxNodes;
    this.#maxSkewMs = maxSkewMs;
    this.#onGone = onGone;
  }

  /** Nodes currently alive. */
  get size(): number {
    return this.#nodes.size;
  }

  get(id: string): NodeRecord | undefined {
    return this.#nodes.get(id);
  }

  /**
   * Checks one authenticated message's origin, incarnation, sequence number and send time
   * (`wallMs` = Date.now(), `nowMs` = performance.now()) and marks the node alive.
   */
  admit(
    id: string,
    incarnation: number,
    seq: number,
    sentMs: number,
    wallMs: number,
    nowMs: number,
  ): AdmitResult {
    if (!Number.isSafeInteger(incarnation) || incarnation <= 0) return { ok: false, reason: 'malformed' };
    if (Math.abs(wallMs - sentMs) > this.#maxSkewMs) return { ok: false, reason: 'stale' };
    let rec = this.#nodes.get(id);
    if (rec && incarnation < rec.incarnation) return { ok: false, reason: 'stale_incarnation' };
    if (rec && incarnation > rec.incarnation) {
      this.#bury(rec, wallMs, 'restart');
      rec = undefined;
    }
    if (!rec) {
      let window = new ReplayWindow();
      let revived = false;
      const t = this.#tombstones.get(id);
      if (t && wallMs < t.untilMs) {
        if (incarnation < t.incarnation) return { ok: false, reason: 'stale_incarnation' };
        if (incarnation === t.incarnation) {
          window = t.window;
          revived = true;
        }
      }
      if (this.#nodes.size >= this.#maxNodes) return { ok: false, reason: 'too_many_nodes' };
      if (!window.accept(seq)) return { ok: false, reason: 'replay' };
      this.#tombstones.delete(id);
      rec = { id, incarnation, lastSeenMs: nowMs, window, peers: 0 };
      this.#nodes.set(id, rec);
      return { ok: true, node: rec, revived };
    }
    if (!rec.window.accept(seq)) return { ok: false, reason: 'replay' };
    rec.lastSeenMs = nowMs;
    return { ok: true, node: rec, revived: false };
  }

  /** Removes (and reports) every node not heard for `timeoutMs`. */
  expire(nowMs: number, wallMs: number, timeoutMs: number): void {
    for (const rec of [...this.#nodes.values()]) {
      if (nowMs - rec.lastSeenMs > timeoutMs) this.#bury(rec, wallMs, 'timeout');
    }
    for (const [id, t] of this.#tombstones) if (wallMs >= t.untilMs) this.#tombstones.delete(id);
  }

  /** Marks every node as just heard (after this node's own bus outage: nobody could be heard). */
  refreshAll(nowMs: number): void {
    for (const rec of this.#nodes.values()) rec.lastSeenMs = nowMs;
  }

  #bury(rec: NodeRecord, wallMs: number, reason: NodeGoneReason): void {
    this.#nodes.delete(rec.id);
    this.#tombstones.delete(rec.id);
    this.#tombstones.set(rec.id, {
      incarnation: rec.incarnation,
      window: rec.window,
      untilMs: wallMs + Math.max(TOMBSTONE_MS, this.#maxSkewMs),
    });
    // Oldest first in insertion order; bounded like the table itself.
    if (this.#tombstones.size > this.#maxNodes) {
      const oldest = this.#tombstones.keys().next().value;
      if (oldest !== undefined) this.#tombstones.delete(oldest);
    }
    this.#onGone(rec, reason);
  }
}
