import type { RgbaFrame } from '@semface/extractor';
import sharp from 'sharp';

/** Encodes a downscaled JPEG of a frame for the viewer page. */
export async function previewJpeg(frame: RgbaFrame, width: number, quality = 70): Promise<Uint8Array> {
  const data = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  return sharp(data, { raw: { width: frame.width, height: frame.height, channels: 4 } })
    .resize({ width: Math.min(width, frame.width) })
    .jpeg({ quality })
    .toBuffer();
}

/** Decodes a JPEG (or any image sharp reads) into an RGBA frame. */
export async function rgbaFromImageBytes(bytes: Uint8Array): Promise<RgbaFrame> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}
