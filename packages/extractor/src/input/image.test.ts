import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, readImageFile } from './image.js';

const SAMPLE = fileURLToPath(
  new URL('../../node_modules/@vladmandic/face-api/demo/sample1.jpg', import.meta.url),
);

// A 4x2 image: left half red, right half blue, so rotations are observable.
async function twoColour(): Promise<sharp.Sharp> {
  const raw = new Uint8Array(4 * 2 * 3);
  for (let y = 0; y < 2; y++) {
    for (let x = 0; x < 4; x++) {
      raw.set(x < 2 ? [255, 0, 0] : [0, 0, 255], (y * 4 + x) * 3);
    }
  }
  return sharp(raw, { raw: { width: 4, height: 2, channels: 3 } });
}

function pixel(
  frame: { width: number; data: Uint8Array | Uint8ClampedArray },
  x: number,
  y: number,
): number[] {
  const i = (y * frame.width + x) * 4;
  return Array.from(frame.data.subarray(i, i + 4));
}

describe('image input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-image-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a JPEG sample into RGBA', async () => {
    const meta = await sharp(SAMPLE).metadata();
    const frame = await readImageFile(SAMPLE);
    expect(frame.width).toBe(meta.width);
    expect(frame.height).toBe(meta.height);
    expect(frame.data.length).toBe(frame.width * frame.height * 4);
    expect(frame.data[3]).toBe(255);
  });

  it('decodes PNG and lossless WebP exactly', async () => {
    const png = await (await twoColour()).png().toBuffer();
    const webp = await (await twoColour()).webp({ lossless: true }).toBuffer();
    for (const bytes of [png, webp]) {
      const frame = await decodeImage(bytes);
      expect([frame.width, frame.height]).toEqual([4, 2]);
      expect(pixel(frame, 0, 0)).toEqual([255, 0, 0, 255]);
      expect(pixel(frame, 3, 1)).toEqual([0, 0, 255, 255]);
    }
  });

  it('turns grayscale into RGB with opaque alpha', async () => {
    const gray = await sharp(new Uint8Array([10, 200]), { raw: { width: 2, height: 1, channels: 1 } })
      .png()
      .toBuffer();
    const frame = await decodeImage(gray);
    expect(pixel(frame, 0, 0)).toEqual([10, 10, 10, 255]);
    expect(pixel(frame, 1, 0)).toEqual([200, 200, 200, 255]);
  });

  it('applies EXIF orientation', async () => {
    // Orientation 6 = stored image must be turned 90 degrees clockwise for display.
    const path = join(dir, 'rotated.jpg');
    await writeFile(
      path,
      await (await twoColour()).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer(),
    );
    const frame = await readImageFile(path);
    expect([frame.width, frame.height]).toEqual([2, 4]);
    // After a clockwise turn the red (left) half is on top.
    expect(pixel(frame, 0, 0)[0]).toBeGreaterThan(200);
    expect(pixel(frame, 0, 3)[2]).toBeGreaterThan(200);
  });

  it('reports a missing file as SEMFACE_ERR_INPUT_NOT_FOUND', async () => {
    await expect(readImageFile(join(dir, 'nope.jpg'))).rejects.toMatchObject({
      code: 'SEMFACE_ERR_INPUT_NOT_FOUND',
    });
  });

  it('reports garbage and truncated JPEGs as SEMFACE_ERR_IMAGE_UNREADABLE', async () => {
    const junk = join(dir, 'junk.jpg');
    await writeFile(junk, 'this is not an image');
    await expect(readImageFile(junk)).rejects.toMatchObject({ code: 'SEMFACE_ERR_IMAGE_UNREADABLE' });
    const bytes = await readFile(SAMPLE);
    const cut = join(dir, 'cut.jpg');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readImageFile(cut)).rejects.toMatchObject({ code: 'SEMFACE_ERR_IMAGE_UNREADABLE' });
  });

  it('refuses images above maxPixels', async () => {
    await expect(readImageFile(SAMPLE, { maxPixels: 1000 })).rejects.toMatchObject({
      code: 'SEMFACE_ERR_IMAGE_TOO_LARGE',
      maxPixels: 1000,
    });
    await expect(readImageFile(SAMPLE, { maxPixels: 0 })).rejects.toThrow(RangeError);
  });
});

describe('small-image preparation', () => {
  it('upscales below minSide and mirror-pads', async () => {
    const png = await (await twoColour()).png().toBuffer();
    const up = await decodeImage(png, 'two', { minSide: 8 });
    expect([up.width, up.height]).toEqual([8, 4]);
    const padded = await decodeImage(png, 'two', { padFraction: 0.5 });
    expect([padded.width, padded.height]).toEqual([8, 4]);
    // Mirror padding: the left border repeats red, the right border blue.
    expect(pixel(padded, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(padded, 7, 3)).toEqual([0, 0, 255, 255]);
    const both = await decodeImage(png, 'two', { minSide: 8, padFraction: 0.25 });
    expect([both.width, both.height]).toEqual([12, 6]);
    const big = await decodeImage(png, 'two', { minSide: 2 });
    expect([big.width, big.height]).toEqual([4, 2]);
  });

  it('validates the options', async () => {
    const png = await (await twoColour()).png().toBuffer();
    await expect(decodeImage(png, 'two', { padFraction: -1 })).rejects.toThrow(RangeError);
    await expect(decodeImage(png, 'two', { minSide: 1.5 })).rejects.toThrow(RangeError);
  });
});
