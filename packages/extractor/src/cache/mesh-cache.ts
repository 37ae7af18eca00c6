import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sampleColors } from '../fit/color-sampling.js';
import { readImageFile } from '../input/image.js';
import { LFW_IMAGE_DIR } from '../input/lfw.js';
import { readVideoFrames } from '../input/video.js';
import type { FaceMeshDetector } from '../mesh/face-mesh-detector.js';
import { NpyStreamWriter } from '../output/npy-stream.js';
import { MESH_VERTEX_COUNT, type RgbaFrame } from '../types.js';

/**
 * Mesh cache for training the face model: for every usable image or video frame, the detected
 * 468-point mesh (`meshes.npy`, N x 1404, x y z in source pixels), the RGB colours sampled at its
 * vertices (`colors.npy`, N x 1404, in [0, 1], NaN outside the image) and one JSON line of
 * metadata per row (`meta.jsonl`: source, person or clip, image/frame index, frame size, scores).
 */
export interface MeshCacheRow {
  readonly source: 'lfw' | 'video';
  /** LFW person name, or the video file's base name. */
  readonly group: string;
  /** LFW 1-based image number, or the 0-based video frame index. */
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
  readonly meshScore: number;
}

/** Progress of a cache build. */
export interface MeshCacheProgress {
  readonly done: number;
  readonly total: number;
  readonly faces: number;
}

/** Writes meshes, colours and metadata of detected faces into a cache directory. */
export class MeshCacheWriter {
  private constructor(
    private readonly dir: string,
    private readonly meshes: NpyStreamWriter,
    private readonly colors: NpyStreamWriter,
  ) {}

  private readonly meshRow = new Float32Array(MESH_VERTEX_COUNT * 3);
  private readonly colorRow = new Float32Array(MESH_VERTEX_COUNT * 3);
  private readonly sampled = new Float64Array(MESH_VERTEX_COUNT * 3);
  private metaLines: string[] = [];
  /** Faces written so far. */
  count = 0;

  static async open(dir: string): Promise<MeshCacheWriter> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'meta.jsonl'), '');
    const d = MESH_VERTEX_COUNT * 3;
    return new MeshCacheWriter(
      dir,
      await NpyStreamWriter.open(join(dir, 'meshes.npy'), d),
      await NpyStreamWriter.open(join(dir, 'colors.npy'), d),
    );
  }

  /** Detects the largest face in `frame` and appends it; returns false when there is none. */
  async add(
    detector: FaceMeshDetector,
    frame: RgbaFrame,
    row: Omit<MeshCacheRow, 'width' | 'height' | 'score' | 'meshScore'>,
  ): Promise<boolean> {
    const [face] = await detector.detect(frame);
    if (!face) return false;
    this.meshRow.set(face.mesh.subarray(0, MESH_VERTEX_COUNT * 3));
    sampleColors(frame, face.mesh, 3, MESH_VERTEX_COUNT, this.sampled);
    this.colorRow.set(this.sampled);
    await this.meshes.append(this.meshRow);
    await this.colors.append(this.colorRow);
    const meta: MeshCacheRow = {
      ...row,
      width: frame.width,
      height: frame.height,
      score: face.score,
      meshScore: face.meshScore,
    };
    this.metaLines.push(JSON.stringify(meta));
    if (this.metaLines.length >= 256) await this.flushMeta();
    this.count++;
    return true;
  }

  private async flushMeta(): Promise<void> {
    if (this.metaLines.length === 0) return;
    await appendFile(join(this.dir, 'meta.jsonl'), `${this.metaLines.join('\n')}\n`);
    this.metaLines = [];
  }

  /** Finishes the arrays; returns the number of rows. */
  async close(): Promise<number> {
    await this.flushMeta();
    await this.meshes.close();
    await this.colors.close();
    return this.count;
  }
}

/** Every LFW image as (person, 1-based index, path), sorted by person then index. */
export async function listLfwImages(
  lfwRoot: string,
): Promise<{ person: string; index: number; path: string }[]> {
  const root = join(lfwRoot, LFW_IMAGE_DIR);
  const people = (await readdir(root)).sort();
  const out: { person: string; index: number; path: string }[] = [];
  for (const person of people) {
    const files = (await readdir(join(root, person))).filter((f) => f.endsWith('.jpg')).sort();
    for (const f of files) {
      const m = /_(\d{4})\.jpg$/.exec(f);
      if (m) out.push({ person, index: Number(m[1]), path: join(root, person, f) });
    }
  }
  return out;
}

/** Builds the LFW part of the cache (optionally every `stride`-th image, at most `limit`). */
export async function buildLfwCache(
  detector: FaceMeshDetector,
  lfwRoot: string,
  outDir: string,
  options: { stride?: number; limit?: number; onProgress?: (p: MeshCacheProgress) => void } = {},
): Promise<number> {
  let images = await listLfwImages(lfwRoot);
  const stride = options.stride ?? 1;
  images = images.filter((_, i) => i % stride === 0).slice(0, options.limit ?? Number.POSITIVE_INFINITY);
  const writer = await MeshCacheWriter.open(outDir);
  let done = 0;
  for (const img of images) {
    const frame = await readImageFile(img.path);
    await writer.add(detector, frame, { source: 'lfw', group: img.person, index: img.index });
    done++;
    if (done % 100 === 0) options.onProgress?.({ done, total: images.length, faces: writer.count });
  }
  return writer.close();
}

/** Builds the video part of the cache from every `frameStride`-th frame of each clip. */
export async function buildVideoCache(
  detector: FaceMeshDetector,
  videoPaths: readonly string[],
  outDir: string,
  options: { frameStride?: number; onProgress?: (p: MeshCacheProgress) => void } = {},
): Promise<number> {
  const writer = await MeshCacheWriter.open(outDir);
  const stride = options.frameStride ?? 2;
  let done = 0;
  for (const path of videoPaths) {
    const clip = basename(path).replace(/\.[^.]+$/, '');
    for await (const vf of readVideoFrames(path)) {
      if (vf.frameIndex % stride !== 0) continue;
      await writer.add(detector, vf.frame, { source: 'video', group: clip, index: vf.frameIndex });
      done++;
      if (done % 100 === 0) options.onProgress?.({ done, total: Number.NaN, faces: writer.count });
    }
  }
  return writer.close();
}
