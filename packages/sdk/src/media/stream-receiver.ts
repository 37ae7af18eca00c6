import type { semface } from '@semface/protocol';
import type { DecodedCodecFrame, DescriptorFrameDecoder } from '../codec/descriptor-codec.js';
import { KeyFrameRequestLimiter } from './key-frame-request-limiter.js';
import { SerialQueue } from './serial-queue.js';

/** What a receiver reports back to its room. */
export interface ReceiverHooks {
  /** A decoder for a new stream (or a rejoin). */
  createDecoder(): Promise<DescriptorFrameDecoder>;
  /** Resolves when events may be delivered (the room was handed to the application). */
  ready(): Promise<void>;
  /** A frame decoded. */
  decoded(frame: semface.v1.Frame, decoded: DecodedCodecFrame): void;
  /** A frame failed to decode; `first` is false for repeats before the stream recovered. */
  failed(frame: semface.v1.Frame, error: unknown, first: boolean): void;
  /** Ask the publisher for a key frame (the receiver rate-limits calls). */
  requestKeyFrame(): void;
}

/** True for wire kinds the relay never drops (key, identity). */
function isReliable(kind: number): boolean {
  return kind === 1 || kind === 3;
}

/**
 * One remote stream (one lane of it): decodes frames in order, drops deltas beyond the backlog
 * limit, and turns lost or undecodable deltas into rate-limited key-frame requests. Never throws.
 */
export class StreamReceiver {
  readonly #queue = new SerialQueue();
  readonly #hooks: ReceiverHooks;
  readonly #maxPending: number;
  readonly #keyRequests: KeyFrameRequestLimiter;
  #decoder: Promise<DescriptorFrameDecoder> | undefined;
  #healthy = true;
  #closed = false;

  constructor(hooks: ReceiverHooks, maxPending: number, keyRequestIntervalMs: number) {
    this.#hooks = hooks;
    this.#maxPending = maxPending;
    this.#keyRequests = new KeyFrameRequestLimiter(() => hooks.requestKeyFrame(), keyRequestIntervalMs);
  }

  /** Queues one received frame for decoding. */
  push(frame: semface.v1.Frame): void {
    if (this.#closed) return;
    if (this.#queue.pending >= this.#maxPending && !isReliable(frame.kind)) {
      // Decoding cannot keep up: shed deltas; the codec will want a key frame after the gap.
      this.#keyRequests.lossDetected();
      return;
    }
    void this.#queue.run(() => this.#decode(frame));
  }

  /** Stops decoding; queued frames are discarded. */
  close(): void {
    this.#closed = true;
  }

  async #decode(frame: semface.v1.Frame): Promise<void> {
    await this.#hooks.ready();
    if (this.#closed) return;
    let decoded: DecodedCodecFrame;
    try {
      this.#decoder ??= this.#hooks.createDecoder();
      const decoder = await this.#decoder;
      decoded = await decoder.decodeFrame(frame.payload);
    } catch (err) {
      if (this.#closed) return;
      const first = this.#healthy;
      this.#healthy = false;
      this.#hooks.failed(frame, err, first);
      this.#keyRequests.lossDetected();
      return;
    }
    if (this.#closed) return;
    if (decoded.keyFrame) this.#keyRequests.keyFrameDecoded();
    this.#healthy = true;
    this.#hooks.decoded(frame, decoded);
  }
}
