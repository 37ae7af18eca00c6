import type { RgbaFrame } from '@semface/extractor';
import type { FrameSource, SourceFrame } from './source-frame.js';

/**
 * Frames from the viewer page's camera. Latest wins: a frame that arrives while the sender is
 * busy replaces the one waiting, so the avatar follows the camera without a backlog.
 */
export class CameraSource implements FrameSource {
  readonly fps = 15;
  #pending: SourceFrame | undefined;
  #waiter: ((f: SourceFrame | undefined) => void) | undefined;
  #continuation = false;

  /** Hands over one camera frame. */
  push(frame: RgbaFrame, cameraFrameId: number, captureTimeMs: number): void {
    const f: SourceFrame = {
      frame,
      captureTimeMs,
      preview: undefined,
      label: 'camera',
      continuation: this.#continuation,
      still: false,
      cameraFrameId,
    };
    this.#continuation = true;
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = undefined;
      w(f);
    } else this.#pending = f;
  }

  /** Marks the camera stopped; the next frame starts a new track. */
  stop(): void {
    this.#continuation = false;
    this.#pending = undefined;
    this.#waiter?.(undefined);
    this.#waiter = undefined;
  }

  /** The waiting frame, or the next one within `timeoutMs` (undefined if none comes). */
  next(timeoutMs = 250): Promise<SourceFrame | undefined> {
    if (this.#pending) {
      const f = this.#pending;
      this.#pending = undefined;
      return Promise.resolve(f);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.#waiter = (f) => {
        clearTimeout(timer);
        resolve(f);
      };
    });
  }

  async close(): Promise<void> {
    this.stop();
  }
}
