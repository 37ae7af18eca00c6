import { basename } from 'node:path';
import { type VideoFrame, type VideoInfo, probeVideo, readVideoFrames } from '@semface/extractor';
import { DemoInputError } from '@semface/viewer';
import { previewJpeg } from './preview-jpeg.js';
import { type FrameSource, type SourceFrame, sleep } from './source-frame.js';

/**
 * Plays videos in real time at their own frame rate, looping. When the consumer falls behind,
 * late frames are skipped so the stream stays live.
 */
export class VideoLoop implements FrameSource {
  #clip = 0;
  #frames: AsyncGenerator<VideoFrame> | undefined;
  #clipStart = 0;
  #first = true;

  private constructor(
    private readonly clips: readonly { path: string; info: VideoInfo }[],
    private readonly previewWidth: number,
  ) {}

  static async open(paths: readonly string[], previewWidth: number): Promise<VideoLoop> {
    if (paths.length === 0) throw new DemoInputError('no videos to play');
    const clips = [];
    for (const path of paths) clips.push({ path, info: await probeVideo(path) });
    return new VideoLoop(clips, previewWidth);
  }

  /** Frame rate of the clip playing now. */
  get fps(): number {
    return this.clips[this.#clip]!.info.fps;
  }

  async next(): Promise<SourceFrame | undefined> {
    for (let attempts = 0; attempts < 2 * this.clips.length + 2; attempts++) {
      if (!this.#frames) {
        const c = this.clips[this.#clip]!;
        this.#frames = readVideoFrames(c.path, { info: c.info });
        this.#clipStart = performance.now();
        this.#first = true;
      }
      const c = this.clips[this.#clip]!;
      const interval = 1000 / c.info.fps;
      for (;;) {
        const r = await this.#frames.next();
        if (r.done) break;
        const due = this.#clipStart + r.value.timestampMs;
        const now = performance.now();
        if (now - due > interval && !this.#first) continue;
        await sleep(due - now);
        const continuation = !this.#first;
        this.#first = false;
        return {
          frame: r.value.frame,
          captureTimeMs: Date.now(),
          preview: await previewJpeg(r.value.frame, this.previewWidth),
          label: `${basename(c.path)} #${r.value.frameIndex}`,
          continuation,
          still: false,
        };
      }
      this.#frames = undefined;
      this.#clip = (this.#clip + 1) % this.clips.length;
    }
    throw new DemoInputError('the videos yielded no frames');
  }

  async close(): Promise<void> {
    await this.#frames?.return(undefined);
  }
}
