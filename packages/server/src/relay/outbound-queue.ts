import type { WebSocket } from 'ws';

/** One message bound for a subscriber. */
export interface Outgoing {
  /** Encoded Envelope (shared between subscribers; never mutated). */
  bytes: Uint8Array;
  /** Key/identity frames and control messages: never dropped. */
  reliable: boolean;
  /** `publisher:stream` for frames (deltas with the same key replace each other), else undefined. */
  stream: string | undefined;
  /** Frame kind label for metrics, or undefined for control messages. */
  kind: string | undefined;
  /** performance.now() when the frame entered the relay, or 0 for control messages. */
  ingressMs: number;
}

/** Limits of an {@link OutboundQueue}. */
export interface OutboundLimits {
  highWaterBytes: number;
  maxQueueMessages: number;
  maxQueueBytes: number;
}

/** Callbacks of an {@link OutboundQueue}. */
export interface OutboundHooks {
  sent(msg: Outgoing): void;
  dropped(reason: 'latest_wins' | 'superseded_by_key' | 'queue_full'): void;
  /** Reliable messages alone exceed the limits: the subscriber is too slow to keep. */
  overflow(): void;
}

interface Entry {
  msg: Outgoing;
  dead: boolean;
}

/**
 * Per-subscriber send path. Writes straight to the socket while its backlog (bufferedAmount)
 * is under the high-water mark; beyond it, messages wait here. A waiting delta is replaced by
 * a newer delta of the same stream (latest wins) and removed when a key frame of its stream
 * arrives; reliable messages are never dropped, and if they alone overflow the limits the
 * subscriber is cut, so one slow reader costs bounded memory and never delays the others.
 */
export class OutboundQueue {
  readonly #ws: WebSocket;
  readonly #limits: OutboundLimits;
  readonly #hooks: OutboundHooks;
  #items: Entry[] = [];
  #head = 0;
  #bytes = 0;
  #count = 0;
  readonly #pendingDelta = new Map<string, Entry>();
  #armed = false;
  #closed = false;
  readonly #onWritten = (err?: Error) => {
    this.#armed = false;
    if (!err) this.flush();
  };

  constructor(ws: WebSocket, limits: OutboundLimits, hooks: OutboundHooks) {
    this.#ws = ws;
    this.#limits = limits;
    this.#hooks = hooks;
  }

  /** Messages waiting in the relay (not yet handed to the socket). */
  get pending(): number {
    return this.#count;
  }

  /** Bytes waiting in the relay plus the socket backlog. */
  get backlogBytes(): number {
    return this.#bytes + this.#ws.bufferedAmount;
  }

  push(msg: Outgoing): void {
    if (this.#closed) return;
    if (this.#count === 0 && this.#ws.bufferedAmount < this.#limits.highWaterBytes) {
      this.#write(msg);
      return;
    }
    if (msg.stream !== undefined) {
      const waiting = this.#pendingDelta.get(msg.stream);
      if (waiting) {
        if (!msg.reliable) {
          this.#bytes += msg.bytes.length - waiting.msg.bytes.length;
          waiting.msg = msg;
          this.#hooks.dropped('latest_wins');
          return;
        }
        this.#kill(waiting);
        this.#hooks.dropped('superseded_by_key');
      }
    }
    const entry: Entry = { msg, dead: false };
    this.#items.push(entry);
    this.#bytes += msg.bytes.length;
    this.#count++;
    if (!msg.reliable && msg.stream !== undefined) this.#pendingDelta.set(msg.stream, entry);
    this.#enforceLimits();
    if (!this.#armed) this.flush();
  }

  /** Hands waiting messages to the socket while its backlog allows. */
  flush(): void {
    while (this.#count > 0 && !this.#closed && this.#ws.bufferedAmount < this.#limits.highWaterBytes) {
      const entry = this.#items[this.#head++]!;
      if (entry.dead) continue;
      this.#remove(entry);
      this.#write(entry.msg);
    }
    if (this.#count === 0 || this.#head > 1024) this.#compact();
  }

  /** Stops all sending (the socket is closing). */
  close(): void {
    this.#closed = true;
    this.#items = [];
    this.#head = 0;
    this.#count = 0;
    this.#bytes = 0;
    this.#pendingDelta.clear();
  }

  #write(msg: Outgoing): void {
    const crossing = this.#ws.bufferedAmount + msg.bytes.length >= this.#limits.highWaterBytes;
    if (crossing && !this.#armed) {
      // Resume when this write reaches the kernel: the backlog has shrunk by then.
      this.#armed = true;
      this.#ws.send(msg.bytes, { binary: true }, this.#onWritten);
    } else {
      this.#ws.send(msg.bytes, { binary: true });
    }
    this.#hooks.sent(msg);
  }

  #remove(entry: Entry): void {
    entry.dead = true;
    this.#count--;
    this.#bytes -= entry.msg.bytes.length;
    const s = entry.msg.stream;
    if (s !== undefined && this.#pendingDelta.get(s) === entry) this.#pendingDelta.delete(s);
  }

  #kill(entry: Entry): void {
    this.#remove(entry);
  }

  #enforceLimits(): void {
    const { maxQueueMessages, maxQueueBytes } = this.#limits;
    if (this.#count <= maxQueueMessages && this.#bytes <= maxQueueBytes) return;
    for (let i = this.#head; i < this.#items.length; i++) {
      const e = this.#items[i]!;
      if (e.dead || e.msg.reliable) continue;
      this.#kill(e);
      this.#hooks.dropped('queue_full');
      if (this.#count <= maxQueueMessages && this.#bytes <= maxQueueBytes) return;
    }
    this.#hooks.overflow();
  }

  #compact(): void {
    if (this.#count === 0) {
      this.#items = [];
    } else {
      this.#items = this.#items.slice(this.#head).filter((e) => !e.dead);
    }
    this.#head = 0;
  }
}
