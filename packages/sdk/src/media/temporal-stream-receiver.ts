import { FrameKind, type semface } from '@semface/protocol';
import type { DecodedCodecFrame } from '../codec/descriptor-codec.js';
import type { TemporalFrameDecoder } from '../codec/temporal-codec.js';
import type { ReceiverHooks } from './stream-receiver.js';
import { FrameBacklog } from './frame-backlog.js';
import { KeyFrameRequestLimiter } from './key-frame-request-limiter.js';

/** Hooks of a {@link TemporalStreamReceiver}: those of a frame receiver, with a temporal decoder. */
export interface TemporalReceiverHooks extends Omit<ReceiverHooks, 'createDecoder'> {
  createDecoder(): Promise<TemporalFrameDecoder>;
}

/**
 * One remote temporal stream: key, delta and identity frames of a stream go to one decoder in order.
 * A gap in the wire sequence (a delta the relay or this receiver dropped) puts the decoder into
 * "needs key frame"; packets are then skipped, without an error event, and a rate-limited key-frame
 * request goes to the publisher. Only packets that fail to decode although nothing was lost are
 * reported. Never throws, never outputs a drifted frame.
 */
export class TemporalStreamReceiver {
  readonly #backlog: FrameBacklog<semface.v1.Frame>;
  readonly #hooks: TemporalReceiverHooks;
  readonly #keyRequests: KeyFrameRequestLimiter;
  #decoder: Promise<TemporalFrameDecoder> | undefined;
  #lastSeq: number | undefined;
  #healthy = true;
  #closed = false;

  constructor(hooks: TemporalReceiverHooks, maxPending: number, keyRequestIntervalMs: number) {
    this.#hooks = hooks;
    this.#backlog = new FrameBacklog(maxPending, (frame) => this.#decode(frame));
    this.#keyRequests = new KeyFrameRequestLimiter(() => hooks.requestKeyFrame(), keyRequestIntervalMs);
  }

  /**
   * Queues one received frame for decoding. With `maxPending` frames waiting, a key packet replaces
   * them all (it restarts the stream); any other packet, identity packets included (they are residuals
   * too), is shed, and the sequence gap it leaves asks for a key frame.
   */
  push(frame: semface.v1.Frame): void {
    if (this.#closed) return;
    this.#backlog.push(frame, frame.kind === FrameKind.key ? () => true : undefined);
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
    let decoder: TemporalFrameDecoder;
    try {
      this.#decoder ??= this.#hooks.createDecoder();
      decoder = await this.#decoder;
    } catch (err) {
      this.#decoder = undefined;
      this.#fail(frame, err);
      return;
    }
    if (this.#closed) return;
    if (!isKey && this.#lastSeq !== undefined && seq !== this.#lastSeq + 1) decoder.reportLoss();
    this.#lastSeq = seq;
    if (!isKey && decoder.needsKeyFrame) {
      // Lost packets or a late join: expected on a lossy relay, so no error event.
      this.#keyRequests.lossDetected();
      return;
    }
    let decoded: DecodedCodecFrame;
    try {
      const d = await decoder.decodeFrame(frame.payload);
      decoded = {
        params: { modelId: d.modelId, profile: 'full' },
        keyFrame: d.kind === 'key',
        descriptor: d.descriptor,
      };
    } catch (err) {
      if (this.#closed) return;
      this.#fail(frame, err);
      return;
    }
    if (this.#closed) return;
    if (decoded.keyFrame) this.#keyRequests.keyFrameDecoded();
    this.#healthy = true;
    this.#hooks.decoded(frame, decoded);
  }

  #fail(frame: semface.v1.Frame, err: unknown): void {
    const first = this.#healthy;
    this.#healthy = false;
    this.#hooks.failed(frame, err, first);
    this.#keyRequests.lossDetected();
  }
}
