import { basename } from 'node:path';
import { type RgbaFrame, readImageFile } from '@semface/extractor';
import { DemoInputError } from '@semface/viewer';
import { previewJpeg } from './preview-jpeg.js';
import { type FrameSource, type SourceFrame, sleep } from './source-frame.js';

interface Slide {
  readonly label: string;
  readonly frame: RgbaFrame;
  readonly preview: Uint8Array;
}

/** Still photos shown one after the other, each for `slideSeconds`, emitted at `fps`. */
export class PhotoSlideshow implements FrameSource {
  #index = 0;
  #slideStart = 0;
  #nextDue = 0;

  private constructor(
    private readonly slides: readonly Slide[],
    readonly fps: number,
    private readonly slideMs: number,
  ) {}

  /** Reads every photo once (decoded frames and previews stay in memory). */
  static async open(
    paths: readonly string[],
    fps: number,
    slideSeconds: number,
    previewWidth: number,
  ): Promise<PhotoSlideshow> {
    if (paths.length === 0) throw new DemoInputError('no photos to show');
    const slides: Slide[] = [];
    for (const p of paths) {
      const frame = await readImageFile(p);
      slides.push({ label: basename(p), frame, preview: await previewJpeg(frame, previewWidth) });
    }
    return new PhotoSlideshow(slides, fps, slideSeconds * 1000);
  }

  async next(): Promise<SourceFrame> {
    const now = performance.now();
    if (this.#nextDue === 0) {
      this.#nextDue = now;
      this.#slideStart = now;
    }
    await sleep(this.#nextDue - now);
    const t = performance.now();
    this.#nextDue = Math.max(this.#nextDue + 1000 / this.fps, t);
    let continuation = true;
    if (t - this.#slideStart >= this.slideMs) {
      this.#index = (this.#index + 1) % this.slides.length;
      this.#slideStart = t;
      continuation = this.slides.length === 1;
    }
    const s = this.slides[this.#index]!;
    return {
      frame: s.frame,
      captureTimeMs: Date.now(),
      preview: s.preview,
      label: s.label,
      continuation,
      still: true,
    };
  }

  async close(): Promise<void> {}
}
