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
}

/** Defaults of {@link ImageReadOptions}. */
export const IMAGE_READ_DEFAULTS = Object.freeze({ maxPixels: 40_000_000 });

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
 * `label` names the source in errors.
 * @throws ImageUnreadableError (SEMFACE_ERR_IMAGE_UNREADABLE), ImageTooLargeError (SEMFACE_ERR_IMAGE_TOO_LARGE)
 */
export async function decodeImage(
  input: Uint8Array,
  label = '<buffer>',
  options?: ImageReadOptions,
): Promise<RgbaFrame> {
  const maxPixels = resolveMaxPixels(options);
  // The header is read first so an oversize image is refused before any pixel is decoded.
  let width: number;
  let height: number;
  try {
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) throw new Error('no image dimensions in header');
    width = meta.width;
    height = meta.height;
  } catch (err) {
    throw new ImageUnreadableError(label, err);
  }
  if (width * height > maxPixels) throw new ImageTooLargeError(label, width * height, maxPixels);
  try {
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: maxPixels })
      .rotate()
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
  resolveMaxPixels(options);
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
