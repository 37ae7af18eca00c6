import { stat } from 'node:fs/promises';
import { InputNotFoundError, listMediaSources } from '@semface/extractor';
import { DemoInputError } from '@semface/viewer';
import { demoPhotoPaths } from './demo-photos.js';
import { PhotoSlideshow } from './photo-slideshow.js';
import type { FrameSource } from './source-frame.js';
import { VideoLoop } from './video-loop.js';

/** How the default input is paced. */
export interface InputPacing {
  /** Frame rate for still photos, frames per second. */
  readonly photoFps: number;
  /** Seconds each photo stays on. */
  readonly slideSeconds: number;
  /** Width of the JPEG previews sent to the page, pixels. */
  readonly previewWidth: number;
}

/**
 * Opens the demo input: a video, an image, or a folder of them (videos win when a folder has
 * both); with no path, the demo photos shipped by @vladmandic/face-api.
 */
export async function openInput(path: string | undefined, pacing: InputPacing): Promise<FrameSource> {
  if (path === undefined) {
    const photos = demoPhotoPaths();
    if (photos.length === 0) throw new DemoInputError('no demo photos found in @vladmandic/face-api/demo');
    return PhotoSlideshow.open(photos, pacing.photoFps, pacing.slideSeconds, pacing.previewWidth);
  }
  try {
    await stat(path);
  } catch {
    throw new InputNotFoundError(path);
  }
  const sources = await listMediaSources(path);
  const videos = sources.filter((s) => s.kind === 'video').map((s) => s.path);
  if (videos.length > 0) return VideoLoop.open(videos, pacing.previewWidth);
  const images = sources.filter((s) => s.kind === 'image').map((s) => s.path);
  if (images.length > 0) {
    return PhotoSlideshow.open(images, pacing.photoFps, pacing.slideSeconds, pacing.previewWidth);
  }
  throw new DemoInputError(`no image or video in ${path}`);
}
