import { EventEmitter } from 'node:events';
import { DescriptorField, type DescriptorStreamDecoder } from '@semface/codec-core';
import type { FaceFitter, FrameSize } from '@semface/extractor';
import type { RelayLink } from '../relay-link/relay-link.js';
import { nowMs } from './clock.js';

/** One decoded, posed avatar frame. */
export interface AvatarFrame {
  readonly seq: number;
  readonly captureTimeMs: number;
  readonly decodedAtMs: number;
  /** Size of the coded packet, bytes. */
  readonly bytes: number;
  readonly keyFrame: boolean;
  readonly modelId: string;
  /** Decoded 257-D descriptor. */
  readonly descriptor: Float32Array;
  /** `V * 3` posed vertex positions in a {@link AVATAR_FRAME} frame (x right, y down, z away). */
  readonly positions: Float32Array;
  /** `V * 3` vertex colours, 0-255. */
  readonly colors: Uint8Array;
}

/** Events of {@link AvatarReceiver}. */
export interface AvatarReceiverEvents {
  avatar: [frame: AvatarFrame];
  decodeError: [err: Error];
}

/** Frame the avatar is posed in, pixels; the head is centred in it (translation x/y dropped). */
export const AVATAR_FRAME: FrameSize = Object.freeze({ width: 512, height: 512 });

/**
 * Relay frames -> codec decode -> posed, coloured mesh from the decoded descriptor. Frames are
 * decoded one at a time in arrival order; after a decode error it asks the publisher for a key frame.
 */
export class AvatarReceiver extends EventEmitter<AvatarReceiverEvents> {
  #chain: Promise<void> = Promise.resolve();
  #awaitingKey = false;

  constructor(
    private readonly link: RelayLink,
    private readonly decoder: DescriptorStreamDecoder,
    private readonly fitter: FaceFitter,
  ) {
    super();
    link.on('frame', (f) => {
      const payload = f.payload ?? new Uint8Array(0);
      const info = {
        seq: Number(f.seq ?? 0),
        captureTimeMs: Number(f.captureTimeUs ?? 0) / 1000,
        participantId: f.participantId ?? '',
        keyFrame: f.kind === 1,
        modelId: f.modelId ?? '',
      };
      this.#chain = this.#chain.then(() => this.#decode(payload, info));
    });
  }

  async #decode(
    payload: Uint8Array,
    info: { seq: number; captureTimeMs: number; participantId: string; keyFrame: boolean; modelId: string },
  ): Promise<void> {
    if (this.#awaitingKey && !info.keyFrame) return;
    let descriptor: Float32Array;
    try {
      descriptor = (await this.decoder.decodeFrame(payload)).descriptor;
      this.#awaitingKey = false;
    } catch (err) {
      this.#awaitingKey = true;
      this.link.requestKeyFrame(info.participantId);
      this.emit('decodeError', err as Error);
      return;
    }
    const decodedAtMs = nowMs();
    const posed = Float32Array.from(descriptor);
    posed[DescriptorField.translation.start] = 0;
    posed[DescriptorField.translation.start + 1] = 0;
    const mesh = this.fitter.meshFromDescriptor(posed, AVATAR_FRAME);
    const v = mesh.colors.length;
    const colors = new Uint8Array(v);
    for (let i = 0; i < v; i++) colors[i] = Math.round(mesh.colors[i]! * 255);
    this.emit('avatar', {
      seq: info.seq,
      captureTimeMs: info.captureTimeMs,
      decodedAtMs,
      bytes: payload.length,
      keyFrame: info.keyFrame,
      modelId: info.modelId,
      descriptor,
      positions: mesh.positions,
      colors,
    });
  }

  /** Resolves when every frame received so far is handled. */
  idle(): Promise<void> {
    return this.#chain;
  }
}
