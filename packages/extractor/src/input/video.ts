import { stat } from 'node:fs/promises';
import { InputNotFoundError, VideoTruncatedError, VideoUnreadableError } from '../errors.js';
import type { RgbaFrame } from '../types.js';
import {
  type FfmpegPaths,
  collectTail,
  ffmpegBinary,
  ffprobeBinary,
  spawnTool,
  waitForExit,
} from './ffmpeg.js';

/** Stream properties of a video, as ffprobe reports them (after display rotation). */
export interface VideoInfo {
  /** Displayed width in pixels (rotation applied, as ffmpeg decodes it). */
  readonly width: number;
  /** Displayed height in pixels. */
  readonly height: number;
  /** Average frame rate in frames per second. */
  readonly fps: number;
  /** Frame count from the container header, or undefined when the container does not say. */
  readonly frameCount: number | undefined;
  /** Duration in milliseconds, or undefined when unknown. */
  readonly durationMs: number | undefined;
  /** Codec name, e.g. `h264`. */
  readonly codec: string;
}

/** One decoded video frame. */
export interface VideoFrame {
  /** 0-based index of the frame in the decoded stream (not in the subsampled output). */
  readonly frameIndex: number;
  /** Presentation time in milliseconds, `frameIndex * 1000 / fps` (exact for constant-rate video). */
  readonly timestampMs: number;
  readonly frame: RgbaFrame;
}

/** Options of {@link readVideoFrames}. */
export interface VideoReadOptions extends FfmpegPaths {
  /**
   * Output rate in frames per second: frames are kept so that consecutive kept frames are at least
   * `1/fps` seconds apart. Default: undefined = every frame.
   */
  readonly fps?: number;
  /** Stop after this many delivered frames. Default: undefined = no limit. */
  readonly maxFrames?: number;
  /** Video properties from an earlier {@link probeVideo} call, to skip probing again. */
  readonly info?: VideoInfo;
}

interface ProbeStream {
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  codec_name?: string;
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

function parseRate(rate: string | undefined): number {
  if (!rate) return Number.NaN;
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return Number.NaN;
  return den === undefined ? num : num / den;
}

async function ensureFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new VideoUnreadableError(path, 'not a regular file');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputNotFoundError(path);
    throw err;
  }
}

/**
 * Reads a video's size, frame rate and frame count with ffprobe.
 * @throws InputNotFoundError, FfmpegMissingError, VideoUnreadableError (no decodable video stream)
 */
export async function probeVideo(path: string, paths?: FfmpegPaths): Promise<VideoInfo> {
  await ensureFile(path);
  const child = await spawnTool(ffprobeBinary(paths), [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height,avg_frame_rate,r_frame_rate,nb_frames,duration,codec_name:stream_tags=rotate:stream_side_data=rotation',
    '-of',
    'json',
    path,
  ]);
  const stderr = collectTail(child.stderr);
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await waitForExit(child);
  if (code !== 0) throw new VideoUnreadableError(path, stderr() || `ffprobe exited with ${code}`);
  let stream: ProbeStream | undefined;
  try {
    stream = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { streams?: ProbeStream[] }).streams?.[0];
  } catch {
    throw new VideoUnreadableError(path, 'ffprobe output is not JSON');
  }
  if (!stream?.width || !stream.height) throw new VideoUnreadableError(path, 'no video stream');
  let fps = parseRate(stream.avg_frame_rate);
  if (!(fps > 0)) fps = parseRate(stream.r_frame_rate);
  if (!(fps > 0)) throw new VideoUnreadableError(path, 'unknown frame rate');
  const rotation = Number(
    stream.side_data_list?.find((s) => s.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0,
  );
  // ffmpeg auto-rotates while decoding, so a quarter turn swaps the output dimensions.
  const quarter = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  const frameCount = stream.nb_frames !== undefined ? Number.parseInt(stream.nb_frames, 10) : Number.NaN;
  const duration = stream.duration !== undefined ? Number.parseFloat(stream.duration) : Number.NaN;
  return {
    width: quarter ? stream.height : stream.width,
    height: quarter ? stream.width : stream.height,
    fps,
    frameCount: Number.isFinite(frameCount) && frameCount > 0 ? frameCount : undefined,
    durationMs: Number.isFinite(duration) ? duration * 1000 : undefined,
    codec: stream.codec_name ?? 'unknown',
  };
}

function validateReadOptions(options: VideoReadOptions): void {
  const { fps, maxFrames } = options;
  if (fps !== undefined) {
    if (typeof fps !== 'number') throw new TypeError('fps must be a number');
    if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`fps must be > 0, got ${fps}`);
  }
  if (maxFrames !== undefined) {
    if (typeof maxFrames !== 'number') throw new TypeError('maxFrames must be a number');
    if (!Number.isInteger(maxFrames) || maxFrames <= 0) {
      throw new RangeError(`maxFrames must be a positive integer, got ${maxFrames}`);
    }
  }
}

/**
 * Decodes a video into RGBA frames with ffmpeg (`-f rawvideo -pix_fmt rgba` on a pipe), one frame
 * at a time with backpressure. Breaking out of the loop kills ffmpeg.
 *
 * Frames that decode before a failure are yielded first; then the iterator throws
 * VideoTruncatedError (SEMFACE_ERR_VIDEO_TRUNCATED) when fewer frames arrived than the header
 * announced, or VideoUnreadableError (SEMFACE_ERR_VIDEO_UNREADABLE) for other decode failures.
 * Both carry `framesRead`.
 * @throws InputNotFoundError, FfmpegMissingError, VideoUnreadableError, VideoTruncatedError
 */
export async function* readVideoFrames(
  path: string,
  options: VideoReadOptions = {},
): AsyncGenerator<VideoFrame> {
  validateReadOptions(options);
  const info = options.info ?? (await probeVideo(path, options));
  const frameBytes = info.width * info.height * 4;
  const child = await spawnTool(ffmpegBinary(options), [
    '-nostdin',
    '-v',
    'error',
    '-i',
    path,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    'pipe:1',
  ]);
  const stderr = collectTail(child.stderr);
  const minGapMs = options.fps !== undefined ? 1000 / options.fps : 0;
  let decoded = 0;
  let delivered = 0;
  let nextKeepMs = 0;
  let finished = false;
  let current = new Uint8Array(frameBytes);
  let filled = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        current.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled < frameBytes) continue;
        const frameIndex = decoded++;
        const timestampMs = (frameIndex * 1000) / info.fps;
        filled = 0;
        // A small epsilon keeps frames exactly on the target grid despite float rounding.
        if (timestampMs + 1e-6 < nextKeepMs) continue;
        nextKeepMs = minGapMs > 0 ? Math.max(nextKeepMs + minGapMs, timestampMs) : 0;
        const frame: RgbaFrame = { width: info.width, height: info.height, data: current };
        current = new Uint8Array(frameBytes);
        delivered++;
        yield { frameIndex, timestampMs, frame };
        if (options.maxFrames !== undefined && delivered >= options.maxFrames) return;
      }
    }
    const code = await waitForExit(child);
    finished = true;
    const detail = stderr().split('\n').slice(-3).join('; ');
    const expected = info.frameCount;
    const short = expected !== undefined && decoded < expected;
    if (filled > 0 || (short && (code !== 0 || expected - decoded > 1))) {
      throw new VideoTruncatedError(path, decoded, expected ?? decoded + 1, detail);
    }
    if (code !== 0) {
      throw new VideoUnreadableError(path, detail || `ffmpeg exited with ${code}`, decoded);
    }
    if (decoded === 0) throw new VideoUnreadableError(path, 'no frame decoded', 0);
  } finally {
    if (!finished) {
      child.stdout?.destroy();
      child.kill('SIGKILL');
      await waitForExit(child);
    }
  }
}
