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
import { type OutboundLimits, OutboundQueue } from './outbound-queue.js';
import type { RoomMember } from './room.js';
import { TokenBucket } from './token-bucket.js';

/** Connection lifecycle. */
export type ConnectionState = 'hello' | 'authenticating' | 'ready' | 'closed';

/** Rate limits of one connection. */
export interface ConnectionRateLimits {
  messagesPerSecond: number;
  burstMessages: number;
  bytesPerSecond: number;
  burstBytes: number;
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
  readonly #metrics: RelayMetrics;
  #lastRateError = 0;

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
    const framesOut = new Map<string, ReturnType<RelayMetrics['framesOut']['labels']>>();
    this.queue = new OutboundQueue(ws, limits, {
      sent: (msg) => {
        metrics.bytesOut.inc(msg.bytes.length);
        if (msg.kind !== undefined) {
          let c = framesOut.get(msg.kind);
          if (!c) {
            c = metrics.framesOut.labels(msg.kind);
            framesOut.set(msg.kind, c);
          }
          c.inc();
          metrics.latency.observe((performance.now() - msg.ingressMs) / 1000);
        }
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

  /** Charges one inbound message to the rate limits; false if it must be dropped. */
  admit(bytes: number): boolean {
    const now = performance.now();
    if (this.#messages.take(1, now) && this.#bytes.take(bytes, now)) return true;
    // One error per second at most, so a flood does not turn into an outbound flood.
    if (now - this.#lastRateError > 1000) {
      this.#lastRateError = now;
      this.sendError('rateLimited', 'rate limit exceeded; message dropped');
    } else {
      this.#metrics.errors.labels(RelayErrorCode.rateLimited).inc();
    }
    return false;
  }

  /** Queues a control message (never dropped). */
  send(envelope: IEnvelope): void {
    this.queue.push({
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
    this.send({ error: { code: RelayErrorCode[kind], message, closeCode: 0 } });
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
      this.queue.push({
        bytes: encodeEnvelope({ error: { code: RelayErrorCode[kind], message, closeCode: code } }),
        reliable: true,
        stream: undefined,
        kind: undefined,
        ingressMs: 0,
      });
    }
    this.state = 'closed';
    this.queue.close();
    this.ws.close(code, message.slice(0, 120));
    setTimeout(() => this.ws.terminate(), cut ? 1_000 : 5_000).unref();
  }
}
