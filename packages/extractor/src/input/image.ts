import { readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { ExtractorError, ImageTooLargeError, ImageUnreadableError, InputNotFoundError } from '../errors.js';
import type { RgbaFrame } from '../types.js';

/** Options for {@link readImageFile} and {@link decodeImage}. */
export interface ImageReadOptions {
  /**
   * Largest accepted image, in pixels (width x height, before EXIF rotation).
   * Protects against decompression bombs. Default 40,000,000 (40 megapixels).
   */
  readonly maxPixels?: number;
  /**
   * Upscale (bicubic) images whose longer side is below this many pixels, so tiny crops such as
   * FER2013's 48x48 reach a size the face detector works at. Default 0 = never upscale.
   */
  readonly minSide?: number;
  /**
   * Mirror-pad each side by this fraction of the (upscaled) width/height. Tightly cropped faces
   * give a detector no context; padding recovers most of them. Face boxes then refer to the padded
   * image. Default 0 = no padding; at most 2.
   */
  readonly padFraction?: number;
}

/** Defaults of {@link ImageReadOptions}. */
export const IMAGE_READ_DEFAULTS = Object.freeze({ maxPixels: 40_000_000, minSide: 0, padFraction: 0 });

interface ResolvedImageOptions {
  readonly maxPixels: number;
  readonly minSide: number;
  readonly padFraction: number;
}

function resolveImageOptions(options: ImageReadOptions | undefined): ResolvedImageOptions {
  const maxPixels = resolveMaxPixels(options);
  const minSide = options?.minSide ?? IMAGE_READ_DEFAULTS.minSide;
  const padFraction = options?.padFraction ?? IMAGE_READ_DEFAULTS.padFraction;
  if (typeof minSide !== 'number') throw new TypeError('minSide must be a number');
  if (!Number.isInteger(minSide) || minSide < 0 || minSide > 16384) {
    throw new RangeError(`minSide must be an integer in [0, 16384], got ${minSide}`);
  }
  if (typeof padFraction !== 'number') throw new TypeError('padFraction must be a number');
  if (!(padFraction >= 0 && padFraction <= 2))
    throw new RangeError(`padFraction must be in [0, 2], got ${padFraction}`);
  return { maxPixels, minSide, padFraction };
}

function resolveMaxPixels(options: ImageReadOptions | undefined): number {
  const maxPixels = options?.maxPixels ?? IMAGE_READ_DEFAULTS.maxPixels;
  if (typeof maxPixels !== 'number') throw new TypeError('maxPixels must be a number');
  if (!Number.isInteger(maxPixels) || maxPixels <= 0) {
    throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  }
  return maxPixels;
}

/**
 * Decodes an encoded image (JPEG, PNG, WebP, GIF, TIFF, AVIF: anything libvips reads) into an RGBA
 * frame, upright: the EXIF orientation is applied. Grayscale and palette images become RGB.
 * Optionally upscales small images (`minSide`) and mirror-pads them (`padFraction`).
 * `label` names the source in errors.
 * @throws ImageUnreadableError (SEMFACE_ERR_IMAGE_UNREADABLE), ImageTooLargeError (SEMFACE_ERR_IMAGE_TOO_LARGE)
 */
export async function decodeImage(
  input: Uint8Array,
  label = '<buffer>',
  options?: ImageReadOptions,
): Promise<RgbaFrame> {
  const { maxPixels, minSide, padFraction } = resolveImageOptions(options);
  // The header is read first so an oversize image is refused before any pixel is decoded.
  let width: number;
  let height: number;
  let quarterTurn: boolean;
  try {
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) throw new Error('no image dimensions in header');
    width = meta.width;
    height = meta.height;
    // EXIF orientations 5-8 include a quarter turn, which swaps the displayed width and height.
    quarterTurn = (meta.orientation ?? 1) >= 5;
  } catch (err) {
    throw new ImageUnreadableError(label, err);
  }
  if (width * height > maxPixels) throw new ImageTooLargeError(label, width * height, maxPixels);
  try {
    let pipeline = sharp(input, { failOn: 'error', limitInputPixels: maxPixels }).rotate();
    let w = quarterTurn ? height : width;
    let h = quarterTurn ? width : height;
    if (Math.max(w, h) < minSide) {
      const scale = minSide / Math.max(w, h);
      w = Math.max(1, Math.round(w * scale));
      h = Math.max(1, Math.round(h * scale));
      pipeline = pipeline.resize(w, h, { kernel: 'cubic', fit: 'fill' });
    }
    if (padFraction > 0) {
      const x = Math.round(w * padFraction);
      const y = Math.round(h * padFraction);
      pipeline = pipeline.extend({ top: y, bottom: y, left: x, right: x, extendWith: 'mirror' });
    }
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4 || data.length !== info.width * info.height * 4) {
      throw new Error(`decoder returned ${info.channels} channels`);
    }
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (err) {
    if (err instanceof ExtractorError) throw err;
    throw new ImageUnreadableError(label, err);
  }
}

/**
 * Reads an image file into an upright RGBA frame (EXIF orientation applied).
 * @throws InputNotFoundError (SEMFACE_ERR_INPUT_NOT_FOUND), ImageUnreadableError, ImageTooLargeError
 */
export async function readImageFile(path: string, options?: ImageReadOptions): Promise<RgbaFrame> {
  resolveImageOptions(options);
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ImageUnreadableError(path, new Error('not a regular file'));
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof ExtractorError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputNotFoundError(path);
    throw new ImageUnreadableError(path, err);
  }
  return decodeImage(bytes, path, options);
}
