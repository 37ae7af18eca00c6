import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpy } from '../output/npy.js';
import { readSidecar } from '../output/sidecar.js';
import type { FittedFace, RgbaFrame } from '../types.js';
import { type FaceDescriptorSource, runDescriptorJob } from './descriptor-job.js';

/**
 * A stand-in for the detector + fitter that keys on brightness: dark frames have no face, bright
 * ones have two "faces" whose descriptor is the mean red value. It exercises the job's bookkeeping
 * (rows, sidecar, failures) without model files.
 */
const calls: string[] = [];
const brightness: FaceDescriptorSource = {
  descriptorLength: 4,
  async extract(frame: RgbaFrame, { allFaces, videoFrame }): Promise<FittedFace[]> {
    calls.push(videoFrame ?? 'image');
    let sum = 0;
    for (let i = 0; i < frame.data.length; i += 4) sum += frame.data[i]!;
    const mean = sum / (frame.width * frame.height);
    if (mean < 60) return [];
    const face = (k: number): FittedFace => ({
      face: {
        box: { x: k, y: 0, width: frame.width, height: frame.height },
        score: 0.9 - k / 10,
        meshScore: 1,
        mesh: new Float32Array(0),
        pointCount: 0,
      },
      descriptor: Float32Array.of(mean, k, frame.width, frame.height),
      fitErrorPercent: 1.5,
    });
    return allFaces ? [face(0), face(1)] : [face(0)];
  },
};

async function solid(path: string, value: number): Promise<void> {
  await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: value, g: value, b: value } } })
    .png()
    .toFile(path);
}

describe('runDescriptorJob', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-job-'));
    await solid(join(dir, 'bright.png'), 200);
    await solid(join(dir, 'dark.png'), 10);
    await writeFile(join(dir, 'broken.jpg'), 'not a jpeg');
    // 20 frames fading from black to white: the first frames have "no face".
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=white:size=32x32:rate=10', '-frames:v', '20'],
      ...['-vf', 'fade=in:0:8', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', join(dir, 'fade.mp4')],
    ]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes rows and sidecar, records failures and goes on', async () => {
    const out = join(dir, 'out.npy');
    const progress: number[] = [];
    const result = await runDescriptorJob(
      [
        { path: join(dir, 'bright.png'), kind: 'image', source: 'bright.png', label: 'happy', classIndex: 1 },
        { path: join(dir, 'dark.png'), kind: 'image', source: 'dark.png' },
        { path: join(dir, 'broken.jpg'), kind: 'image', source: 'broken.jpg' },
        { path: join(dir, 'missing.png'), kind: 'image', source: 'missing.png' },
        { path: join(dir, 'fade.mp4'), kind: 'video', source: 'fade.mp4' },
      ],
      {
        out,
        extractor: brightness,
        header: { command: 'test', models: [{ role: 'detector', id: 'brightness' }] },
        fps: 5,
        padFraction: 0.25,
        onItem: (done) => progress.push(done),
      },
    );
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    // Two readable images, then the video's 10 sampled frames: first, then continuations.
    expect(calls.splice(0)).toEqual(['image', 'image', 'first', ...Array(9).fill('next')]);
    expect(result.summary).toMatchObject({
      total: 5,
      succeeded: 2,
      failed: 3,
      failuresByCode: {
        SEMFACE_ERR_NO_FACE: 1,
        SEMFACE_ERR_IMAGE_UNREADABLE: 1,
        SEMFACE_ERR_INPUT_NOT_FOUND: 1,
      },
    });
    const matrix = await readNpy(out);
    const sidecar = await readSidecar(result.sidecarPath);
    expect(matrix.cols).toBe(4);
    expect(matrix.rows).toBe(result.rows);
    expect(sidecar.rows).toHaveLength(matrix.rows);
    expect(sidecar.header.columns).toBe(4);
    expect(sidecar.header.imagePreprocess).toEqual({ minSide: 0, padFraction: 0.25 });
    expect(sidecar.rows[0]!.box).toMatchObject({ width: 12, height: 10 });
    expect(sidecar.rows[0]).toMatchObject({
      source: 'bright.png',
      frameIndex: null,
      label: 'happy',
      classIndex: 1,
    });
    expect(matrix.data[0]).toBeCloseTo(200, 0);
    // Video at 5 fps from 10 fps: even frames only; dark early frames are frame-level failures.
    const videoRows = sidecar.rows.filter((r) => r.source === 'fade.mp4');
    expect(videoRows.length).toBeGreaterThan(0);
    expect(videoRows.every((r) => r.frameIndex! % 2 === 0 && r.timestampMs === r.frameIndex! * 100)).toBe(
      true,
    );
    const frameFailures = sidecar.failures.filter((f) => f.source === 'fade.mp4');
    expect(frameFailures.length).toBe(result.framesWithoutFace);
    expect(frameFailures.length + videoRows.length).toBe(10);
    expect(sidecar.failures.map((f) => f.source)).toEqual(
      expect.arrayContaining(['dark.png', 'broken.jpg', 'missing.png']),
    );
  });

  it('writes every face with allFaces and keeps rows of a truncated video', async () => {
    // Bright noise with the index in front: a cut file still opens and loses only its tail.
    const fast = join(dir, 'noise.mp4');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=white:size=64x48:rate=10', '-frames:v', '20'],
      ...[
        '-vf',
        'noise=alls=40:allf=t',
        '-pix_fmt',
        'yuv420p',
        '-c:v',
        'libx264',
        '-movflags',
        '+faststart',
        fast,
      ],
    ]);
    const whole = await readFile(fast);
    const cut = join(dir, 'cut.mp4');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.8)));
    const out = join(dir, 'all.npy');
    const result = await runDescriptorJob(
      [
        { path: join(dir, 'bright.png'), kind: 'image' },
        { path: cut, kind: 'video' },
      ],
      { out, extractor: brightness, header: { command: 'test', models: [] }, allFaces: true },
    );
    const sidecar = await readSidecar(result.sidecarPath);
    expect(sidecar.rows.slice(0, 2).map((r) => r.faceIndex)).toEqual([0, 1]);
    const cutRows = sidecar.rows.filter((r) => r.source === cut);
    expect(cutRows.length).toBeGreaterThan(0);
    expect(result.summary.failuresByCode).toEqual({ SEMFACE_ERR_VIDEO_TRUNCATED: 1 });
    expect((await readNpy(out)).rows).toBe(sidecar.rows.length);
  });
});
