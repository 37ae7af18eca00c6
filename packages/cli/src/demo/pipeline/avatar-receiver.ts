import { EventEmitter } from 'node:events';
import { DescriptorField } from '@semface/codec-core';
import type { FaceFitter, FrameSize } from '@semface/extractor';
import type { DescriptorEvent, Room } from '@semface/sdk';
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
 * SDK `descriptor` events (decoded by the SDK) -> posed, coloured mesh. Meshes are built in
 * arrival order, one at a time.
 */
export class AvatarReceiver extends EventEmitter<AvatarReceiverEvents> {
  #chain: Promise<void> = Promise.resolve();

  constructor(
    room: Room,
    private readonly fitter: FaceFitter,
  ) {
    super();
    room.on('descriptor', (ev) => {
      this.#chain = this.#chain.then(() => this.#pose(ev));
    });
    room.on('error', (err) => this.emit('decodeError', err));
  }

  async #pose(ev: DescriptorEvent): Promise<void> {
    const decodedAtMs = nowMs();
    const posed = Float32Array.from(ev.descriptor);
    posed[DescriptorField.translation.start] = 0;
    posed[DescriptorField.translation.start + 1] = 0;
    const mesh = this.fitter.meshFromDescriptor(posed, AVATAR_FRAME);
    const v = mesh.colors.length;
    const colors = new Uint8Array(v);
    for (let i = 0; i < v; i++) colors[i] = Math.round(mesh.colors[i]! * 255);
    this.emit('avatar', {
      seq: ev.seq,
      captureTimeMs: ev.captureTimeUs / 1000,
      decodedAtMs,
      bytes: ev.bits / 8,
      keyFrame: ev.kind === 'key',
      modelId: ev.modelId,
      descriptor: ev.descriptor,
      positions: mesh.positions,
      colors,
    });
  }

  /** Resolves when every descriptor received so far is handled. */
  idle(): Promise<void> {
    return this.#chain;
  }
}
