import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ImageCodecError } from '../errors.js';
import type { RawImage } from './raw-image.js';

/** Image codecs used as baselines. */
export const ImageCodecName = { jpeg: 'jpeg', hevc: 'hevc', av1: 'av1' } as const;
/** Name of an image codec baseline. */
export type ImageCodecName = (typeof ImageCodecName)[keyof typeof ImageCodecName];
/** All baseline codecs, in report order. */
export const IMAGE_CODEC_NAMES = Object.freeze(Object.values(ImageCodecName));

/** Result of coding a batch of equally sized images at one quality setting. */
export interface CodedBatch {
  /** Coded size of each image in bytes (a self-contained image: headers included). */
  readonly bytes: readonly number[];
  /** Decoded images, same size and channels as the input. */
  readonly decoded: readonly RawImage[];
}

/** One image codec: a quality knob and batch encode + decode. */
export interface ImageCodec {
  readonly name: ImageCodecName;
  /** What the codec is, for reports (encoder and settings). */
  readonly description: string;
  /** Quality parameter range [worst, best] (worst may be numerically larger, e.g. a QP). */
  readonly worst: number;
  readonly best: number;
  /** Codes and decodes the images (all the same size and channel count). */
  code(images: readonly RawImage[], quality: number): Promise<CodedBatch>;
}

function run(cmd: string, args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) =>
      reject(new ImageCodecError(cmd, `cannot run ${cmd}: ${e.message}`, { cause: e })),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new ImageCodecError(cmd, `exit ${code}: ${Buffer.concat(err).toString().slice(-400)}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

function concatImages(images: readonly RawImage[]): { size: number; channels: 1 | 3; raw: Uint8Array } {
  const first = images[0];
  if (!first) throw new RangeError('no images to code');
  const frame = first.size * first.size * first.channels;
  const raw = new Uint8Array(frame * images.length);
  images.forEach((im, i) => {
    if (im.size !== first.size || im.channels !== first.channels) {
      throw new RangeError('all images of a batch must have the same size and channels');
    }
    raw.set(im.data, i * frame);
  });
  return { size: first.size, channels: first.channels, raw };
}

/**
 * A video encoder in all-intra mode through ffmpeg: every image is one key frame of a raw elementary
 * stream; per-image sizes come from ffprobe's packet sizes (each packet carries the parameter
 * sets, so it is decodable alone).
 */
function ffmpegCodec(
  name: ImageCodecName,
  description: string,
  worst: number,
  best: number,
  format: string,
  encoderArgs: (quality: number) => string[],
): ImageCodec {
  return {
    name,
    description,
    worst,
    best,
    async code(images, quality) {
      const { size, channels, raw } = concatImages(images);
      const pix = channels === 1 ? 'gray' : 'rgb24';
      const dir = await mkdtemp(join(tmpdir(), 'semface-eval-'));
      const file = join(dir, `out.${format}`);
      try {
        await run(
          'ffmpeg',
          [
            ...[
              '-v',
              'error',
              '-f',
              'rawvideo',
              '-pix_fmt',
              pix,
              '-s',
              `${size}x${size}`,
              '-r',
              '25',
              '-i',
              '-',
            ],
            ...encoderArgs(quality),
            ...(channels === 3 ? ['-pix_fmt', 'yuv420p'] : []),
            ...['-f', format, '-y', file],
          ],
          raw,
        );
        const sizes = (
          await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=size', '-of', 'csv=p=0', file])
        )
          .toString()
          .trim()
          .split(/\s+/)
          .map(Number);
        const decodedRaw = await run('ffmpeg', [
          '-v',
          'error',
          '-i',
          file,
          '-f',
          'rawvideo',
          '-pix_fmt',
          pix,
          '-',
        ]);
        const frame = size * size * channels;
        if (sizes.length !== images.length || decodedRaw.length !== frame * images.length) {
          throw new ImageCodecError(name, `expected ${images.length} frames, got ${sizes.length} packets`);
        }
        const decoded = images.map((_, i) => ({
          size,
          channels,
          data: new Uint8Array(decodedRaw.subarray(i * frame, (i + 1) * frame)),
        }));
        return { bytes: sizes, decoded };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** HEVC intra (x265, constant QP, no info SEI). */
export const hevcCodec: ImageCodec = ffmpegCodec(
  'hevc',
  'HEVC intra: ffmpeg libx265 preset medium, keyint=1, constant QP, repeat-headers, raw Annex-B per image',
  51,
  0,
  'hevc',
  (qp) => [
    '-c:v',
    'libx265',
    '-preset',
    'medium',
    '-x265-params',
    `keyint=1:qp=${Math.round(qp)}:info=0:repeat-headers=1:log-level=error`,
  ],
);

/** AV1 intra (libaom all-intra, constant quality). */
export const av1Codec: ImageCodec = ffmpegCodec(
  'av1',
  'AV1 intra: ffmpeg libaom-av1 usage=allintra cpu-used=6, CRF, raw OBUs per image (IVF frame payload)',
  63,
  0,
  'ivf',
  (crf) => [
    '-c:v',
    'libaom-av1',
    '-usage',
    'allintra',
    '-cpu-used',
    '6',
    '-crf',
    String(Math.round(crf)),
    '-b:v',
    '0',
  ],
);

/** Baseline JPEG (sharp's mozjpeg: trellis quantisation, optimised Huffman tables). */
export const jpegCodec: ImageCodec = {
  name: 'jpeg',
  description: 'JPEG: sharp (mozjpeg) 4:2:0, optimised coding, full JFIF file per image',
  worst: 1,
  best: 100,
  async code(images, quality) {
    const q = Math.round(quality);
    const bytes: number[] = [];
    const decoded: RawImage[] = [];
    for (const im of images) {
      const enc = await sharp(im.data, { raw: { width: im.size, height: im.size, channels: im.channels } })
        .jpeg({ quality: q, mozjpeg: true, chromaSubsampling: '4:2:0' })
        .toBuffer();
      bytes.push(enc.length);
      let dec = sharp(enc);
      dec = im.channels === 1 ? dec.toColourspace('b-w') : dec.toColourspace('srgb').removeAlpha();
      const { data, info } = await dec.raw().toBuffer({ resolveWithObject: true });
      if (info.channels !== im.channels)
        throw new ImageCodecError('jpeg', `decoded ${info.channels} channels`);
      decoded.push({ size: im.size, channels: im.channels, data: new Uint8Array(data) });
    }
    return { bytes, decoded };
  },
};

/** The codec object of a name. */
export function imageCodec(name: ImageCodecName): ImageCodec {
  return name === 'jpeg' ? jpegCodec : name === 'hevc' ? hevcCodec : av1Codec;
}

/** Whether ffmpeg offers the encoders the video baselines need (`ffmpeg -encoders`). */
export async function availableImageCodecs(): Promise<ImageCodecName[]> {
  const out: ImageCodecName[] = ['jpeg'];
  try {
    const list = (await run('ffmpeg', ['-hide_banner', '-encoders'])).toString();
    if (/\blibx265\b/.test(list)) out.push('hevc');
    if (/\blibaom-av1\b/.test(list)) out.push('av1');
  } catch {
    // No ffmpeg: JPEG only.
  }
  return out;
}
