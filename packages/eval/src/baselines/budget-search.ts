import type { ImageCodec } from './image-codecs.js';
import { type RawImage, resizeRaw } from './raw-image.js';

/** A codec setting that lands near a bit budget. */
export interface BudgetSetting {
  /** Side of the coded image in pixels. */
  readonly size: number;
  /** Codec quality parameter. */
  readonly quality: number;
  /** Mean bits per image on the calibration images. */
  readonly calibrationBits: number;
}

async function meanBits(codec: ImageCodec, images: readonly RawImage[], q: number): Promise<number> {
  const { bytes } = await codec.code(images, q);
  return (8 * bytes.reduce((s, b) => s + b, 0)) / bytes.length;
}

/**
 * Binary search of the codec's quality parameter for the best quality whose mean size on `images`
 * stays within `budgetBits` (bits grow monotonically with quality). Undefined when even the worst
 * quality exceeds the budget by more than `slack` (relative).
 */
export async function searchQuality(
  codec: ImageCodec,
  images: readonly RawImage[],
  budgetBits: number,
  slack = 0.1,
): Promise<{ quality: number; bits: number } | undefined> {
  const dir = codec.best > codec.worst ? 1 : -1;
  let lo = codec.worst;
  let hi = codec.best;
  const worstBits = await meanBits(codec, images, lo);
  if (worstBits > budgetBits * (1 + slack)) return undefined;
  if (worstBits >= budgetBits) return { quality: lo, bits: worstBits };
  const bestBits = await meanBits(codec, images, hi);
  if (bestBits <= budgetBits) return { quality: hi, bits: bestBits };
  let loBits = worstBits;
  // Invariant: bits(lo) <= budget < bits(hi).
  while (Math.abs(hi - lo) > 1) {
    const mid = lo + dir * Math.floor(Math.abs(hi - lo) / 2);
    const b = await meanBits(codec, images, mid);
    if (b <= budgetBits) {
      lo = mid;
      loBits = b;
    } else hi = mid;
  }
  return { quality: lo, bits: loBits };
}

/**
 * Settings to try for one budget: the largest image sizes (from `sizes`) at which the codec can
 * meet the budget, up to `candidates` of them, each with its searched quality. Coding a smaller
 * picture at a better quality can beat a larger one at the worst quality, so callers evaluate
 * every candidate and keep the best.
 */
export async function settingsForBudget(
  codec: ImageCodec,
  calibration: readonly RawImage[],
  sizes: readonly number[],
  budgetBits: number,
  candidates: number,
): Promise<BudgetSetting[]> {
  const out: BudgetSetting[] = [];
  for (const size of [...sizes].sort((a, b) => b - a)) {
    const imgs = calibration.map((im) => resizeRaw(im, size));
    const found = await searchQuality(codec, imgs, budgetBits);
    if (!found) continue;
    out.push({ size, quality: found.quality, calibrationBits: found.bits });
    if (out.length >= candidates) break;
  }
  return out;
}
