import { settingsForBudget } from '../baselines/budget-search.js';
import { imageCodec } from '../baselines/image-codecs.js';
import { type RawImage, resizeRaw } from '../baselines/raw-image.js';
import type { EvalPoint, EvalTask, PointScore } from './eval-point.js';
import { type CommonEvalOptions, FALLBACK_BUDGETS } from './eval-options.js';

/** Distinct budgets from measured semface rates (rounded to 10 bits). */
export function roundBudgets(bits: readonly number[]): number[] {
  return [...new Set(bits.map((b) => Math.max(10, Math.round(b / 10) * 10)))].sort((a, b) => a - b);
}

/** Inputs of one task's image-codec sweep. */
export interface ImageBudgetSweep {
  readonly task: EvalTask;
  /** Images coded at every setting (all the same size). */
  readonly images: readonly RawImage[];
  /** Sizes (pixels) the codecs may code the images at. */
  readonly sizes: readonly number[];
  /** Rates of the task's semface points (bits per face); they set the budgets unless `common.budgets` does. */
  readonly semfaceBits: readonly number[];
  /** Scores decoded images (in the order of `images`). */
  readonly evaluate: (decoded: readonly RawImage[]) => Promise<PointScore>;
  /** `scorer` of every produced point. */
  readonly scorer: string;
}

/**
 * Image points for every codec and budget: each setting that meets the budget is coded and scored,
 * and the most accurate one per budget is marked `best`. Budgets no size can reach go to `notes`.
 */
export async function sweepImageBudgets(
  sweep: ImageBudgetSweep,
  common: CommonEvalOptions,
  notes: string[],
): Promise<EvalPoint[]> {
  const { task, images, sizes, semfaceBits, evaluate, scorer } = sweep;
  const progress = common.onProgress ?? (() => {});
  const points: EvalPoint[] = [];
  const budgets = common.budgets ?? (semfaceBits.length ? roundBudgets(semfaceBits) : FALLBACK_BUDGETS);
  const calibration = images.slice(0, common.calibrationImages);
  for (const name of common.imageCodecs) {
    const codec = imageCodec(name);
    for (const budget of budgets) {
      progress({ phase: `${task}: ${name} ${Math.round(budget)} bits`, done: 0, total: 0 });
      const settings = await settingsForBudget(codec, calibration, sizes, budget, common.sizeCandidates);
      if (settings.length === 0) {
        notes.push(`${task}: ${name} cannot reach ${Math.round(budget)} bits at any size`);
        continue;
      }
      const candidates: EvalPoint[] = [];
      for (const s of settings) {
        const coded = await codec.code(
          images.map((im) => resizeRaw(im, s.size)),
          s.quality,
        );
        const bits = (8 * coded.bytes.reduce((a, b) => a + b, 0)) / coded.bytes.length;
        candidates.push({
          task,
          family: 'image',
          curve: name,
          bitsPerFace: bits,
          ...(await evaluate(coded.decoded)),
          budgetBits: budget,
          size: s.size,
          quality: s.quality,
          scorer,
        });
      }
      const best = candidates.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
      points.push(...candidates.map((c) => ({ ...c, best: c === best })));
    }
  }
  return points;
}
