import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type VideoFrame, probeVideo, readVideoFrames } from './video.js';

let hasFfmpeg = true;
try {
  execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
} catch {
  hasFfmpeg = false;
}
if (!hasFfmpeg) process.stdout.write('skipped: no ffmpeg on PATH\n');

async function collect(iter: AsyncIterable<VideoFrame>): Promise<{ frames: VideoFrame[]; error: unknown }> {
  const frames: VideoFrame[] = [];
  try {
    for await (const f of iter) frames.push(f);
  } catch (error) {
    return { frames, error };
  }
  return { frames, error: undefined };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasFfmpeg)('video input', () => {
  let dir: string;
  let clip: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-video-'));
    clip = join(dir, 'clip.mp4');
    // Noise keeps the file large enough that cutting it in half loses frames, not just an index.
    const encode = (out: string, extra: string[]): void => {
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25', '-frames:v', '50'],
        ...['-vf', 'noise=alls=60:allf=t', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', ...extra, out],
      ]);
    };
    encode(clip, ['-movflags', '+faststart']);
    encode(join(dir, 'tail-index.mp4'), []);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('probes size, rate and frame count', async () => {
    const info = await probeVideo(clip);
    expect(info).toMatchObject({ width: 64, height: 48, fps: 25, frameCount: 50, codec: 'h264' });
    expect(info.durationMs).toBeCloseTo(2000, -1);
  });

  it('decodes every frame as RGBA with indices and timestamps', async () => {
    const { frames, error } = await collect(readVideoFrames(clip));
    expect(error).toBeUndefined();
    expect(frames).toHaveLength(50);
    expect(frames[10]!.frameIndex).toBe(10);
    expect(frames[10]!.timestampMs).toBeCloseTo(400, 6);
    expect(frames[0]!.frame.data.length).toBe(64 * 48 * 4);
    // Each frame owns its buffer: consecutive noisy frames differ.
    expect(frames[0]!.frame.data).not.toEqual(frames[1]!.frame.data);
  });

  it('subsamples to a lower fps and stops at maxFrames', async () => {
    const { frames } = await collect(readVideoFrames(clip, { fps: 5 }));
    expect(frames.map((f) => f.frameIndex)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    const few = await collect(readVideoFrames(clip, { fps: 10, maxFrames: 3 }));
    expect(few.frames.map((f) => f.timestampMs)).toEqual([0, 120, 200]);
    await expect(collect(readVideoFrames(clip, { fps: 0 })).then((r) => r.error)).resolves.toBeInstanceOf(
      RangeError,
    );
  });

  it('kills ffmpeg when the consumer breaks early', async () => {
    const pidFile = join(dir, 'ffmpeg.pid');
    const wrapper = join(dir, 'ffmpeg-wrapper.sh');
    await writeFile(wrapper, `#!/bin/sh\necho $$ > '${pidFile}'\nexec ffmpeg "$@"\n`);
    await chmod(wrapper, 0o755);
    let seen = 0;
    for await (const _ of readVideoFrames(clip, { ffmpegPath: wrapper })) {
      if (++seen === 2) break;
    }
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('yields the readable frames of a truncated video, then SEMFACE_ERR_VIDEO_TRUNCATED', async () => {
    const bytes = await readFile(clip);
    const cut = join(dir, 'cut.mp4');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const { frames, error } = await collect(readVideoFrames(cut));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(50);
    expect(error).toMatchObject({
      code: 'SEMFACE_ERR_VIDEO_TRUNCATED',
      framesRead: frames.length,
      framesExpected: 50,
    });
  });

  it('reports a video without its index, or junk, as SEMFACE_ERR_VIDEO_UNREADABLE', async () => {
    const bytes = await readFile(join(dir, 'tail-index.mp4'));
    const cut = join(dir, 'no-index.mp4');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const junk = join(dir, 'junk.mp4');
    await writeFile(junk, 'not a video at all');
    for (const path of [cut, junk]) {
      const { frames, error } = await collect(readVideoFrames(path));
      expect(frames).toHaveLength(0);
      expect(error).toMatchObject({ code: 'SEMFACE_ERR_VIDEO_UNREADABLE' });
    }
    expect((await stat(cut)).size).toBeGreaterThan(0);
  });

  it('reports missing files and a missing ffmpeg binary with their codes', async () => {
    await expect(probeVideo(join(dir, 'absent.mp4'))).rejects.toMatchObject({
      code: 'SEMFACE_ERR_INPUT_NOT_FOUND',
    });
    await expect(probeVideo(clip, { ffprobePath: join(dir, 'no-such-ffprobe') })).rejects.toMatchObject({
      code: 'SEMFACE_ERR_FFMPEG_MISSING',
    });
    const info = await probeVideo(clip);
    const { error } = await collect(readVideoFrames(clip, { info, ffmpegPath: join(dir, 'no-such-ffmpeg') }));
    expect(error).toMatchObject({ code: 'SEMFACE_ERR_FFMPEG_MISSING' });
  });
});
