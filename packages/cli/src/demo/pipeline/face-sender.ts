import { EventEmitter } from 'node:events';
import type { FaceDescriptorExtractor } from '@semface/extractor';
import { addSyntheticMotion } from './synthetic-motion.js';
import type { Room } from '@semface/sdk';
import type { SourceFrame } from '../sources/source-frame.js';
import { nowMs } from './clock.js';

/** What the sender did with one source frame. */
export interface SenderStep {
  readonly label: string;
  readonly captureTimeMs: number;
  /** Sequence number of the published frame; undefined when no face was found. */
  readonly seq: number | undefined;
  /** Coded frame size, bytes (0 when nothing was sent). */
  readonly bytes: number;
  readonly keyFrame: boolean;
  /** Detection + fit + refinement time, ms (0 for a still photo whose fit is cached). */
  readonly extractMs: number;
  /** Publish time (codec analysis, entropy coding, send), ms. */
  readonly encodeMs: number;
  readonly cameraFrameId: number | undefined;
}

/** Events of {@link FaceSender}. */
export interface FaceSenderEvents {
  step: [step: SenderStep];
}

/**
 * Source frame -> {@link FaceDescriptorExtractor} (track, or detect for stills; 3DMM fit; expression
 * refinement when the extractor refines) -> descriptor -> SDK publish (codec + relay). Stills are
 * fitted once and animated with synthetic motion.
 */
export class FaceSender extends EventEmitter<FaceSenderEvents> {
  readonly #stills = new Map<string, Float32Array | null>();
  readonly #startMs = nowMs();

  constructor(
    private readonly extractor: FaceDescriptorExtractor,
    private readonly room: Room,
  ) {
    super();
  }

  /** Processes one frame; resolves when its packet is on the wire. Calls must not overlap. */
  async send(f: SourceFrame): Promise<SenderStep> {
    const t0 = performance.now();
    let descriptor: Float32Array | undefined;
    if (f.still) {
      let cached = this.#stills.get(f.label);
      if (cached === undefined) {
        const [face] = await this.extractor.extract(f.frame);
        cached = face ? face.descriptor : null;
        this.#stills.set(f.label, cached);
      }
      if (cached)
        descriptor = addSyntheticMotion(Float32Array.from(cached), (nowMs() - this.#startMs) / 1000);
    } else {
      // Capture times drive the tracker's temporal stabiliser (on by default for track()).
      const [face] = await this.extractor.extract(f.frame, {
        videoFrame: f.continuation ? 'next' : 'first',
        timestampMs: f.captureTimeMs,
      });
      if (face) descriptor = face.descriptor;
    }
    const t1 = performance.now();
    let step: SenderStep = {
      label: f.label,
      captureTimeMs: f.captureTimeMs,
      seq: undefined,
      bytes: 0,
      keyFrame: false,
      extractMs: t1 - t0,
      encodeMs: 0,
      cameraFrameId: f.cameraFrameId,
    };
    if (descriptor) {
      // The SDK encodes, frames and sends; it answers key-frame requests itself.
      const sent = await this.room.publish(descriptor, { captureTimeUs: Math.round(f.captureTimeMs * 1000) });
      if (sent) {
        step = {
          ...step,
          seq: sent.seq,
          bytes: sent.bits / 8,
          keyFrame: sent.kind === 'key',
          encodeMs: performance.now() - t1,
        };
      }
    }
    this.emit('step', step);
    return step;
  }
}
