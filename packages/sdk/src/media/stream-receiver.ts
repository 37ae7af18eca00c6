import type { DecodedFaceFrame, FaceStreamDecoder, StreamCodingName } from '@semface/codec-core/portable';
import { FrameKind, type semface } from '@semface/protocol';
import { FrameBacklog } from './frame-backlog.js';
import { KeyFrameRequestLimiter } from './key-frame-request-limiter.js';

/** What a receiver reports back to its room. */
export interface ReceiverHooks {
  /** A decoder for a new stream (or a rejoin); asked again after it fails. */
  createDecoder(): Promise<FaceStreamDecoder>;
  /** Resolves when events may be delivered (the room was handed to the application). */
  ready(): Promise<void>;
  /** A frame decoded. */
  decoded(frame: semface.v1.Frame, decoded: DecodedFaceFrame): void;
  /** A frame failed to decode; `first` is false for repeats before the stream recovered. */
  failed(frame: semface.v1.Frame, error: unknown, first: boolean): void;
  /** Ask the publisher for a key frame (the receiver rate-limits calls). */
  requestKeyFrame(): void;
}

/**
 * One remote stream (one lane of it): decodes frames in order with one decoder, holds at most
 * `maxPending` waiting frames and turns lost, shed or undecodable frames into rate-limited key-frame
 * requests. With the backlog full a key frame replaces everything waiting (it restarts the stream);
 * intra identity frames (self-contained) replace the older ones; other frames are shed. A temporal
 * stream's key, delta and identity frames are residuals of one decoder: a gap in the wire sequence puts
 * it in "needs key frame", where packets are skipped without an error event (expected on a lossy relay)
 * and the shed frame's gap asks for the key frame. Only frames that fail to decode are reported.
 * Never throws, never outputs a drifted frame.
 */
export class StreamReceiver {
  readonly #backlog: FrameBacklog<semface.v1.Frame>;
  readonly #hooks: ReceiverHooks;
  readonly #keyRequests: KeyFrameRequestLimiter;
  readonly #intra: boolean;
  #decoder: Promise<FaceStreamDecoder> | undefined;
  #lastSeq: number | undefined;
  #healthy = true;
  #closed = false;

  constructor(
    coding: StreamCodingName,
    hooks: ReceiverHooks,
    maxPending: number,
    keyRequestIntervalMs: number,
  ) {
    this.#intra = coding === 'intra';
    this.#hooks = hooks;
    this.#backlog = new FrameBacklog(maxPending, (frame) => this.#decode(frame));
    this.#keyRequests = new KeyFrameRequestLimiter(() => hooks.requestKeyFrame(), keyRequestIntervalMs);
  }

  /** Queues one received frame for decoding. */
  push(frame: semface.v1.Frame): void {
    if (this.#closed) return;
    const supersedes =
      frame.kind === FrameKind.key
        ? () => true
        : this.#intra && frame.kind !== FrameKind.delta
          ? (waiting: semface.v1.Frame) => waiting.kind === frame.kind
          : undefined;
    // Intra: decoding cannot keep up, the codec will want a key frame after the gap.
    if (!this.#backlog.push(frame, supersedes) && this.#intra) this.#keyRequests.lossDetected();
  }

  /** Stops decoding; queued frames are discarded. */
  close(): void {
    this.#closed = true;
    this.#backlog.close();
  }

  async #decode(frame: semface.v1.Frame): Promise<void> {
    await this.#hooks.ready();
    if (this.#closed) return;
    const seq = Number(frame.seq);
    const isKey = frame.kind === FrameKind.key;
    let decoded: DecodedFaceFrame;
    try {
      this.#decoder ??= this.#hooks.createDecoder();
      const decoder = await this.#decoder.catch((err: unknown) => {
        this.#decoder = undefined;
        throw err;
      });
      if (this.#closed) return;
      if (!isKey && this.#lastSeq !== undefined && seq !== this.#lastSeq + 1) decoder.reportLoss();
      this.#lastSeq = seq;
      if (!isKey && decoder.needsKeyFrame) {
        this.#keyRequests.lossDetected();
        return;
      }
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
    if (decoded.kind === 'key') this.#keyRequests.keyFrameDecoded();
    this.#healthy = true;
    this.#hooks.decoded(frame, decoded);
  }
}
