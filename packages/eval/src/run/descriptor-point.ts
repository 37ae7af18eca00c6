import type { DescriptorVariant } from './descriptor-variants.js';
import type { EvalPoint, EvalTask, PointScore } from './eval-point.js';

/** The point of one descriptor variant: its curve and rate, the task's score, and the variant's codec fields that are set. */
export function descriptorPoint(
  task: EvalTask,
  variant: DescriptorVariant,
  score: PointScore,
  scorer: string,
): EvalPoint {
  return {
    task,
    family: variant.ceiling ? 'ceiling' : 'descriptor',
    curve: variant.curve,
    bitsPerFace: variant.bitsPerFace,
    ...score,
    ...(variant.profile !== undefined ? { profile: variant.profile } : {}),
    ...(variant.rateIndex !== undefined ? { rateIndex: variant.rateIndex } : {}),
    ...(variant.coder !== undefined ? { coder: variant.coder } : {}),
    ...(variant.retrained !== undefined ? { retrained: variant.retrained } : {}),
    ...(variant.modelId !== undefined ? { modelId: variant.modelId } : {}),
    ...(variant.overheadBitsPerFace !== undefined
      ? { overheadBitsPerFace: variant.overheadBitsPerFace }
      : {}),
    scorer,
  };
}
