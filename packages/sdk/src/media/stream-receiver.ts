import { FrameKind, type semface } from '@semface/protocol';
import type { DecodedCodecFrame, DescriptorFrameDecoder } from '../codec/descriptor-codec.js';
import { FrameBacklog } from './frame-backlog.js';
import { KeyFrameRequestLimiter } from './key-frame-request-limiter.js';

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

/**
 * What a frame makes useless among those waiting when the backlog is full: a key frame restarts the
 * stream, so everything before it; any other non-delta frame (identity) stands alone, so the older
 * ones of its kind. Deltas supersede nothing and are shed.
 */
function supersededBy(frame: semface.v1.Frame): ((waiting: semface.v1.Frame) => boolean) | undefined {
  if (frame.kind === FrameKind.key) return () => true;
  if (frame.kind === FrameKind.delta) return undefined;
  return (waiting) => waiting.kind === frame.kind;
}

/**
 * One remote stream (one lane of it): decodes frames in order, holds at most `maxPending` waiting
 * frames of any kind (see {@link supersededBy}), and turns lost, shed or undecodable frames into
 * rate-limited key-frame requests. Never throws.
 */
export class StreamReceiver {
  readonly #backlog: FrameBacklog<semface.v1.Frame>;
  readonly #hooks: ReceiverHooks;
  readonly #keyRequests: KeyFrameRequestLimiter;
  #decoder: Promise<DescriptorFrameDecoder> | undefined;
  #healthy = true;
  #closed = false;

  constructor(hooks: ReceiverHooks, maxPending: number, keyRequestIntervalMs: number) {
    this.#hooks = hooks;
    this.#backlog = new FrameBacklog(maxPending, (frame) => this.#decode(frame));
    this.#keyRequests = new KeyFrameRequestLimiter(() => hooks.requestKeyFrame(), keyRequestIntervalMs);
  }

  /** Queues one received frame for decoding. */
  push(frame: semface.v1.Frame): void {
    if (this.#closed) return;
    if (!this.#backlog.push(frame, supersededBy(frame))) {
      // Decoding cannot keep up: the frame is shed; the codec will want a key frame after the gap.
      this.#keyRequests.lossDetected();
    }
  }

  /** Stops decoding; queued frames are discarded. */
  close(): void {
    this.#closed = true;
    this.#backlog.close();
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
