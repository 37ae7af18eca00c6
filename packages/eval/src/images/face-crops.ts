import {
  type FaceBox,
  FaceMeshDetector,
  type RgbaFrame,
  alignedFaceBox,
  readImageFile,
} from '@semface/extractor';
import sharp from 'sharp';
import type { RawImage } from '../baselines/raw-image.js';

/** Side of the face crops the verification baselines start from (the face embedder's input size). */
export const FACE_CROP_SIZE = 150;

/**
 * Square crop of `box` (face-api's aligned box: side = the longer box side, centred, zeros outside
 * the frame), bilinearly resampled to `size` x `size` RGB.
 */
export function cropSquare(frame: RgbaFrame, box: FaceBox, size: number): RawImage {
  const side = Math.max(box.width, box.height);
  const x0 = box.x + box.width / 2 - side / 2;
  const y0 = box.y + box.height / 2 - side / 2;
  const step = side / size;
  const out = new Uint8Array(size * size * 3);
  const { width: w, height: h, data } = frame;
  const px = (x: number, y: number, k: number) =>
    x < 0 || y < 0 || x >= w || y >= h ? 0 : data[(y * w + x) * 4 + k]!;
  for (let v = 0; v < size; v++) {
    const fy = y0 + (v + 0.5) * step - 0.5;
    const yi = Math.floor(fy);
    const wy = fy - yi;
    for (let u = 0; u < size; u++) {
      const fx = x0 + (u + 0.5) * step - 0.5;
      const xi = Math.floor(fx);
      const wx = fx - xi;
      for (let k = 0; k < 3; k++) {
        const top = px(xi, yi, k) * (1 - wx) + px(xi + 1, yi, k) * wx;
        const bottom = px(xi, yi + 1, k) * (1 - wx) + px(xi + 1, yi + 1, k) * wx;
        out[(v * size + u) * 3 + k] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return { size, channels: 3, data: out };
}

/**
 * Face crops of photos for the image baselines: the largest detected face of each image, cropped
 * with face-api's aligned box (what the face embedder sees) at {@link FACE_CROP_SIZE}. Images without
 * a detected face map to undefined.
 */
export async function faceCrops(
  paths: readonly string[],
  onImage?: (done: number) => void,
): Promise<Map<string, RawImage | undefined>> {
  const detector = await FaceMeshDetector.create();
  const out = new Map<string, RawImage | undefined>();
  try {
    for (const [i, path] of paths.entries()) {
      let crop: RawImage | undefined;
      try {
        const frame = await readImageFile(path);
        const [face] = await detector.detect(frame);
        if (face) crop = cropSquare(frame, alignedFaceBox(face, frame.width, frame.height), FACE_CROP_SIZE);
      } catch {
        crop = undefined;
      }
      out.set(path, crop);
      onImage?.(i + 1);
    }
  } finally {
    await detector.dispose();
  }
  return out;
}

/**
 * Gray square images of an expression dataset (FER2013 images are the face crops already): the
 * centre square of each image at its own resolution.
 */
export async function grayImages(paths: readonly string[]): Promise<RawImage[]> {
  const out: RawImage[] = [];
  for (const path of paths) {
    const meta = await sharp(path).metadata();
    const side = Math.min(meta.width ?? 1, meta.height ?? 1);
    const data = await sharp(path).resize(side, side, { fit: 'cover' }).toColourspace('b-w').raw().toBuffer();
    out.push({ size: side, channels: 1, data: new Uint8Array(data) });
  }
  return out;
}
