import { NoFaceError } from '../errors.js';
import { type ImageReadOptions, readImageFile } from '../input/image.js';
import type { FfmpegPaths } from '../input/ffmpeg.js';
import { MediaKind } from '../input/sources.js';
import { probeVideo, readVideoFrames } from '../input/video.js';
import { NpyStreamWriter } from '../output/npy-stream.js';
import {
  type SidecarFailure,
  type SidecarHeader,
  type SidecarRow,
  createSidecarHeader,
  sidecarPathFor,
  writeSidecar,
} from '../output/sidecar.js';
import type { FaceBox, FittedFace, RgbaFrame } from '../types.js';
import { type BatchFailure, type BatchSummary, recoverableErrorCode, runBatch } from './run-batch.js';

/** What a descriptor job needs from the detection + fitting stack. */
export interface FaceDescriptorSource {
  /** Values per descriptor (257 for the full layout). */
  readonly descriptorLength: number;
  /** Fitted faces of a frame, most prominent first; empty when there is none. */
  extract(frame: RgbaFrame, options: FaceExtractOptions): Promise<readonly FittedFace[]>;
}

/** Per-frame options of {@link FaceDescriptorSource.extract}. */
export interface FaceExtractOptions {
  /** Every face rather than the most prominent one. */
  readonly allFaces: boolean;
  /**
   * For video frames: `first` for the first frame of a clip, `next` for the frames after it, so a
   * source may track the face across frames; undefined for still images.
   */
  readonly videoFrame?: 'first' | 'next';
  /** For video frames: presentation time in milliseconds (drives a tracker's temporal filter). */
  readonly timestampMs?: number;
  /**
   * For still images known to be face crops: the region of the frame that holds the face (the
   * original image inside any padding). A source uses it when its detector finds no face.
   */
  readonly cropBox?: FaceBox;
}

/** One input of a descriptor job. */
export interface DescriptorJobItem {
  readonly path: string;
  readonly kind: MediaKind;
  /** Name written to the sidecar's `source` (e.g. a path relative to the dataset root). Default `path`. */
  readonly source?: string;
  /** Class or identity label copied to every row of the item. */
  readonly label?: string;
  readonly classIndex?: number;
}

/** Options of {@link runDescriptorJob}. */
export interface DescriptorJobOptions extends FfmpegPaths, ImageReadOptions {
  /** Output `.npy` path; the sidecar goes next to it (`.json`). */
  readonly out: string;
  readonly extractor: FaceDescriptorSource;
  /** Sidecar header fields (command, models, dataset, classes); `columns` comes from the extractor. */
  readonly header: Omit<SidecarHeader, 'format' | 'version' | 'created' | 'columns'>;
  /** One row per detected face instead of only the most prominent one. Default false. */
  readonly allFaces?: boolean;
  /**
   * Still images are face crops (e.g. FER2013): when the detector finds no face, the source meshes
   * the original image region as the face box instead of failing. Rows made this way have
   * `cropFallback: true`. Default false.
   */
  readonly cropFallback?: boolean;
  /** Video sampling rate in frames per second. Default: every frame. */
  readonly fps?: number;
  /** Most frames taken from each video. Default: no limit. */
  readonly maxFramesPerVideo?: number;
  /** Called after each item. */
  readonly onItem?: (done: number, total: number, failed: number) => void;
  /** Called after each video frame. */
  readonly onFrame?: (item: DescriptorJobItem, frameIndex: number) => void;
  /** Called for each failed item. */
  readonly onError?: (failure: BatchFailure<DescriptorJobItem>) => void;
}

/** What a finished descriptor job wrote. */
export interface DescriptorJobResult {
  readonly npyPath: string;
  readonly sidecarPath: string;
  /** Rows written (descriptors). */
  readonly rows: number;
  /** Per-item counts; a video counts as failed when it gave no row or ended early. */
  readonly summary: BatchSummary;
  /** Video frames without a face (recorded in the sidecar, not counted as item failures). */
  readonly framesWithoutFace: number;
}

const NO_FACE = new NoFaceError().code;

function noFace(where: string): NoFaceError {
  return new NoFaceError(`no face found in ${where}`);
}

/** The original image inside a frame mirror-padded by `padFraction` of its size on every side. */
export function cropBoxOf(frame: RgbaFrame, padFraction: number): FaceBox {
  const k = 1 + 2 * padFraction;
  return {
    x: (frame.width * padFraction) / k,
    y: (frame.height * padFraction) / k,
    width: frame.width / k,
    height: frame.height / k,
  };
}

/**
 * Extracts descriptors from images and videos into a `.npy` (float32, rows x descriptorLength,
 * streamed) plus its JSON sidecar. Items are processed one at a time; a failing item (unreadable
 * file, no face, truncated video) is recorded in the sidecar's `failures` and the job goes on.
 * Frames read from a video before it failed keep their rows.
 */
export async function runDescriptorJob(
  items: readonly DescriptorJobItem[],
  options: DescriptorJobOptions,
): Promise<DescriptorJobResult> {
  const { extractor } = options;
  const allFaces = options.allFaces ?? false;
  const cols = extractor.descriptorLength;
  const writer = await NpyStreamWriter.open(options.out, cols);
  const rows: SidecarRow[] = [];
  const failures: SidecarFailure[] = [];
  let framesWithoutFace = 0;

  const addFaces = async (
    item: DescriptorJobItem,
    faces: readonly FittedFace[],
    frameIndex: number | null,
    timestampMs: number | null,
  ): Promise<void> => {
    const chosen = allFaces ? faces : faces.slice(0, 1);
    for (const [faceIndex, fitted] of chosen.entries()) {
      if (fitted.descriptor.length !== cols) {
        throw new RangeError(`descriptor has ${fitted.descriptor.length} values, expected ${cols}`);
      }
      await writer.append(fitted.descriptor);
      rows.push({
        source: item.source ?? item.path,
        frameIndex,
        timestampMs,
        faceIndex,
        box: fitted.face.box,
        detectorScore: fitted.face.score,
        fitErrorPercent: fitted.fitErrorPercent,
        ...(fitted.fromCropBox ? { cropFallback: true } : {}),
        ...(item.label !== undefined ? { label: item.label } : {}),
        ...(item.classIndex !== undefined ? { classIndex: item.classIndex } : {}),
      });
    }
  };

  const processImage = async (item: DescriptorJobItem): Promise<void> => {
    const frame = await readImageFile(item.path, options);
    const faces = await extractor.extract(frame, {
      allFaces,
      ...(options.cropFallback ? { cropBox: cropBoxOf(frame, options.padFraction ?? 0) } : {}),
    });
    if (faces.length === 0) throw noFace(item.source ?? item.path);
    await addFaces(item, faces, null, null);
  };

  const processVideo = async (item: DescriptorJobItem): Promise<void> => {
    const before = rows.length;
    const info = await probeVideo(item.path, options);
    const frames = readVideoFrames(item.path, {
      ...options,
      info,
      ...(options.fps !== undefined ? { fps: options.fps } : {}),
      ...(options.maxFramesPerVideo !== undefined ? { maxFrames: options.maxFramesPerVideo } : {}),
    });
    let videoFrame: 'first' | 'next' = 'first';
    for await (const { frameIndex, timestampMs, frame } of frames) {
      try {
        const faces = await extractor.extract(frame, { allFaces, videoFrame, timestampMs });
        videoFrame = 'next';
        if (faces.length === 0) throw noFace(`frame ${frameIndex}`);
        await addFaces(item, faces, frameIndex, timestampMs);
      } catch (err) {
        // One bad frame costs that frame only; the rest of the clip is still useful.
        const code = recoverableErrorCode(err);
        if (code === undefined) throw err;
        if (code === NO_FACE) framesWithoutFace++;
        failures.push({
          source: item.source ?? item.path,
          frameIndex,
          code,
          message: (err as Error).message,
        });
      }
      options.onFrame?.(item, frameIndex);
    }
    if (rows.length === before) throw noFace(`any frame of ${item.source ?? item.path}`);
  };

  try {
    const batch = await runBatch(
      items,
      (item) => (item.kind === MediaKind.video ? processVideo(item) : processImage(item)),
      {
        onProgress: (done, total, failed) => options.onItem?.(done, total ?? items.length, failed),
        onError: (failure) => {
          failures.push({
            source: failure.item.source ?? failure.item.path,
            frameIndex: null,
            code: failure.code,
            message: failure.message,
          });
          options.onError?.(failure);
        },
      },
    );
    const written = await writer.close();
    if (written !== rows.length)
      throw new Error(`wrote ${written} rows but recorded ${rows.length} sidecar rows`);
    const sidecarPath = sidecarPathFor(options.out);
    await writeSidecar(sidecarPath, {
      header: createSidecarHeader({
        ...options.header,
        columns: cols,
        ...(options.minSide || options.padFraction
          ? { imagePreprocess: { minSide: options.minSide ?? 0, padFraction: options.padFraction ?? 0 } }
          : {}),
      }),
      rows,
      failures,
    });
    return { npyPath: options.out, sidecarPath, rows: written, summary: batch.summary, framesWithoutFace };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
