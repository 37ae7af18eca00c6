import {
  type IEnvelope,
  type IPeer,
  RELAY_ERROR_CLOSE_CODE,
  RelayErrorCode,
  type RelayErrorName,
  encodeEnvelope,
} from '@semface/protocol';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Grants } from '../auth/token.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';
import { type OutboundLimits, OutboundQueue, type Outgoing } from './outbound-queue.js';
import type { RoomMember } from './room.js';
import { Bundler } from './bundler.js';
import { TokenBucket } from './token-bucket.js';
import type { UpTracks } from './wire-v2.js';

/** Connection lifecycle. */
export type ConnectionState = 'hello' | 'authenticating' | 'ready' | 'closed';

/** Rate limits of one connection. */
export interface ConnectionRateLimits {
  messagesPerSecond: number;
  burstMessages: number;
  bytesPerSecond: number;
  burstBytes: number;
  /** Join, Leave, KeyFrameRequest and Ping, per second. */
  controlPerSecond: number;
  controlBurst: number;
  /** Messages the relay rejected (errors the client caused), per second, before the socket is closed. */
  rejectedPerSecond: number;
  rejectedBurst: number;
}

/** Error replies a connection gets at once before they are limited to one per second. */
export const ERROR_REPLY_BURST = 8;

/** Longest client-visible error text, characters (an Error envelope stays small whatever went wrong). */
const MAX_ERROR_MESSAGE_CHARS = 256;

/**
 * WebSocket close reason of an error kind. Fixed ASCII text, never derived from input: RFC 6455
 * allows 123 bytes and `ws` throws beyond that, so free text there is a crash waiting for a
 * long non-ASCII token header. The details travel in the Error envelope before the close.
 */
export function closeReason(kind: RelayErrorName): string {
  return RelayErrorCode[kind];
}

/** One client WebSocket on this node. */
export class Connection implements RoomMember {
  readonly id: string;
  readonly ws: WebSocket;
  readonly log: Logger;
  readonly queue: OutboundQueue;
  state: ConnectionState = 'hello';
  grants: Grants | undefined;
  room: string | undefined;
  alive = true;
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;
  readonly #control: TokenBucket;
  readonly #rejected: TokenBucket;
  readonly #metrics: RelayMetrics;
  readonly #framesOut = new Map<string, ReturnType<RelayMetrics['framesOut']['labels']>>();
  /**
   * Error replies for rejected messages: a few at once (a mistaken client learns why), then one per
   * second, so a flood of bad messages never turns into an outbound flood.
   */
  readonly #replies = new TokenBucket(1, ERROR_REPLY_BURST);
  /** Timer that closes the socket with 4002 when the token expires. */
  expiryTimer: NodeJS.Timeout | undefined;
  /** True once this connection counts towards its identity's connection cap. */
  identityCounted = false;
  /** Protocol version agreed in Hello/Welcome (2: compact frames, Track messages, bundles). */
  protocol: 1 | 2 = 1;
  /** v2: the tracks this client announced as a publisher. */
  upTracks: UpTracks | undefined;
  #bundler: Bundler | undefined;

  constructor(
    id: string,
    ws: WebSocket,
    log: Logger,
    metrics: RelayMetrics,
    limits: OutboundLimits,
    rate: ConnectionRateLimits,
  ) {
    this.id = id;
    this.ws = ws;
    this.log = log;
    this.#metrics = metrics;
    this.#messages = new TokenBucket(rate.messagesPerSecond, rate.burstMessages);
    this.#bytes = new TokenBucket(rate.bytesPerSecond, rate.burstBytes);
    this.#control = new TokenBucket(rate.controlPerSecond, rate.controlBurst);
    this.#rejected = new TokenBucket(rate.rejectedPerSecond, rate.rejectedBurst);
    this.queue = new OutboundQueue(ws, limits, {
      sent: (msg) => {
        metrics.bytesOut.inc(msg.bytes.length);
        this.#countFrame(msg);
      },
      dropped: (reason) => metrics.dropped.labels(reason).inc(),
      overflow: () => {
        metrics.slowConsumers.inc();
        this.log.warn({ backlog: this.queue.backlogBytes }, 'slow consumer cut');
        this.close('slowConsumer', 'reliable frames overflowed the subscriber queue', true);
      },
    });
  }

  /** Peer record shown to others. */
  get peer(): IPeer {
    return {
      participantId: this.id,
      identity: this.grants?.identity ?? '',
      canPublish: this.grants?.canPublish ?? false,
    };
  }

  get canSubscribe(): boolean {
    return this.grants?.canSubscribe ?? false;
  }

  /** May receive identity-code (biometric) frames. */
  get canReceiveIdentityCode(): boolean {
    return this.grants?.canReceiveIdentityCode ?? false;
  }

  /**
   * Charges one inbound message to the rate limits, before anything else looks at it (text and
   * oversize messages included); false if it must be dropped.
   */
  admit(bytes: number): boolean {
    const now = performance.now();
    if (this.#messages.take(1, now) && this.#bytes.take(bytes, now)) return true;
    this.#rateLimited(now, 'rate limit exceeded; message dropped');
    return false;
  }

  /** Charges one control message (Join, Leave, KeyFrameRequest, Ping); false if it must be dropped. */
  admitControl(): boolean {
    const now = performance.now();
    if (this.#control.take(1, now)) return true;
    this.#rateLimited(now, 'control message rate exceeded; message dropped');
    return false;
  }

  #rateLimited(now: number, message: string): void {
    if (!this.#strike(now)) return;
    if (this.#replies.take(1, now)) {
      this.sendError('rateLimited', message);
    } else {
      this.#metrics.errors.labels(RelayErrorCode.rateLimited).inc();
    }
  }

  /**
   * Counts one rejected message against the connection's budget; when the budget is spent the
   * client is abusive, not mistaken, and the socket is closed with 4008. False once closed.
   */
  #strike(now: number = performance.now()): boolean {
    if (this.state === 'closed') return false;
    if (this.#rejected.take(1, now)) return true;
    this.close('rateLimited', 'too many rejected messages');
    return false;
  }

  /**
   * Rejects a message the client should not have sent: before Welcome the socket is closed (a
   * client that cannot say Hello properly gets no second chance), after it an Error is sent and
   * counted against the rejection budget.
   */
  reject(kind: RelayErrorName, message: string): void {
    if (this.state === 'hello' || this.state === 'authenticating') {
      this.close(kind, message);
      return;
    }
    const now = performance.now();
    if (!this.#strike(now)) return;
    if (this.#replies.take(1, now)) {
      this.sendError(kind, message);
    } else {
      this.#metrics.errors.labels(RelayErrorCode[kind]).inc();
    }
  }

  /** Bundles what this subscriber receives, one bundle per `intervalMs` (v2 clients that ask). */
  startBundling(intervalMs: number): void {
    this.#bundler = new Bundler(intervalMs, (msg, frames) => {
      // A bundle's frames are counted as it enters the queue (its bytes when written, once).
      if (frames.length > 1) for (const f of frames) this.#countFrame(f);
      this.queue.push(msg);
    });
  }

  /** Frame metrics of one outgoing message (control messages and bundles carry no kind). */
  #countFrame(msg: Outgoing): void {
    if (msg.kind === undefined) return;
    let c = this.#framesOut.get(msg.kind);
    if (!c) {
      c = this.#metrics.framesOut.labels(msg.kind);
      this.#framesOut.set(msg.kind, c);
    }
    c.inc();
    this.#metrics.latency.observe((performance.now() - msg.ingressMs) / 1000);
  }

  /** Releases the send path after the socket closed (queue and bundle timer). */
  shutdown(): void {
    this.#bundler?.close();
    this.queue.close();
  }

  /** Hands a message towards the socket: straight into the queue, or into the next bundle. */
  deliver(msg: Outgoing): void {
    if (this.#bundler) this.#bundler.add(msg);
    else this.queue.push(msg);
  }

  /** Queues a control message (never dropped). */
  send(envelope: IEnvelope): void {
    this.deliver({
      bytes: encodeEnvelope(envelope),
      reliable: true,
      stream: undefined,
      kind: undefined,
      ingressMs: 0,
    });
  }

  /** Sends an Error message; the connection stays open. */
  sendError(kind: RelayErrorName, message: string): void {
    this.#metrics.errors.labels(RelayErrorCode[kind]).inc();
    this.log.debug({ code: RelayErrorCode[kind] }, message);
    if (this.state === 'closed') return;
    this.send({
      error: { code: RelayErrorCode[kind], message: message.slice(0, MAX_ERROR_MESSAGE_CHARS), closeCode: 0 },
    });
  }

  /**
   * Sends an Error carrying its close code, then closes with that code.
   * `cut`: the peer cannot be expected to read (slow consumer); terminate after a short grace.
   */
  close(kind: RelayErrorName, message: string, cut = false): void {
    if (this.state === 'closed') return;
    const code = RELAY_ERROR_CLOSE_CODE[kind];
    this.#metrics.errors.labels(RelayErrorCode[kind]).inc();
    this.log.info({ code: RelayErrorCode[kind], closeCode: code }, message);
    if (!cut) {
      const text = message.slice(0, MAX_ERROR_MESSAGE_CHARS);
      this.queue.push({
        bytes: encodeEnvelope({ error: { code: RelayErrorCode[kind], message: text, closeCode: code } }),
        reliable: true,
        stream: undefined,
        kind: undefined,
        ingressMs: 0,
      });
    }
    this.state = 'closed';
    clearTimeout(this.expiryTimer);
    this.#bundler?.close();
    this.queue.close();
    try {
      this.ws.close(code, closeReason(kind));
    } catch (err) {
      // A socket that cannot close cleanly is cut; closing must never throw into a handler.
      this.log.debug({ err: (err as Error).message }, 'close failed; terminating');
      this.ws.terminate();
      return;
    }
    setTimeout(() => this.ws.terminate(), cut ? 1_000 : 5_000).unref();
  }
}
