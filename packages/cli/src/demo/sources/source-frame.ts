import type { RgbaFrame } from '@semface/extractor';

/** One frame handed from a source to the sender. */
export interface SourceFrame {
  /** Full-resolution frame for the extractor. */
  readonly frame: RgbaFrame;
  /** Capture time, Unix epoch milliseconds (when the frame was read or arrived). */
  readonly captureTimeMs: number;
  /** Downscaled JPEG for the viewer page; undefined when the page has the frame already (camera). */
  readonly preview: Uint8Array | undefined;
  /** What is playing, for the page, e.g. `sample3.jpg` or `clip.mp4`. */
  readonly label: string;
  /** False on the first frame of a new shot: the face tracker restarts. */
  readonly continuation: boolean;
  /** True for still photos: the fit is reused and synthetic motion animates it. */
  readonly still: boolean;
  /** Id the page gave a camera frame, echoed back so it can time camera -> avatar drawn. */
  readonly cameraFrameId?: number;
}

/** A pull-based source of paced frames. */
export interface FrameSource {
  /** Nominal frame rate, frames per second. */
  readonly fps: number;
  /** Waits for the next frame at its due time; undefined when the source has nothing now. */
  next(): Promise<SourceFrame | undefined>;
  /** Releases decoders / child processes. */
  close(): Promise<void>;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
