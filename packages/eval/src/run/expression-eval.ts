import { existsSync } from 'node:fs';
import { type RawImage, resizeRaw } from '../baselines/raw-image.js';
import { type DescriptorCache, cacheRow, imageKey, loadDescriptorCache } from '../data/descriptor-cache.js';
import { EXPRESSION_LABELS, type ExpressionSet, readExpressionSet } from '../data/expression-set.js';
import { EvalDatasetError } from '../errors.js';
import { grayImages } from '../images/face-crops.js';
import { argmax, classificationScore } from '../metrics/classification.js';
import { EmotionModel } from '../models/emotion-model.js';
import { descriptorPoint } from './descriptor-point.js';
import { descriptorVariants, loadCodec, loadHeads } from './descriptor-variants.js';
import type { EvalPoint } from './eval-point.js';
import type { CommonEvalOptions, ExpressionEvalOptions } from './eval-options.js';
import { sweepImageBudgets } from './image-budget-sweep.js';

function scoreItems(
  truth: readonly number[],
  predicted: readonly number[],
  covered: readonly boolean[],
): Pick<EvalPoint, 'accuracy' | 'accuracyCovered' | 'items' | 'covered'> {
  const all = classificationScore(truth, predicted, EXPRESSION_LABELS.length);
  const cov = classificationScore(
    truth.filter((_, i) => covered[i]),
    predicted.filter((_, i) => covered[i]),
    EXPRESSION_LABELS.length,
  );
  return { accuracy: all.accuracy, accuracyCovered: cov.accuracy, items: all.items, covered: all.predicted };
}

/** Expression points: descriptor pipelines + expression head, image baselines + emotion model. */
export async function evaluateExpression(
  e: ExpressionEvalOptions,
  common: CommonEvalOptions,
  notes: string[],
): Promise<EvalPoint[]> {
  const points: EvalPoint[] = [];
  const set = await readExpressionSet(e.root, e.limit);
  const cache = existsSync(e.descriptors) ? await loadDescriptorCache(e.descriptors) : undefined;
  if (!cache) notes.push(`expression: no descriptor cache at ${e.descriptors}, image baselines only`);
  const semfaceBits: number[] = [];
  if (cache) points.push(...(await descriptorPoints(set, cache, common, notes, semfaceBits)));
  if (e.imageLimit === 0 || common.imageCodecs.length === 0) return points;
  points.push(...(await imageBaselines(e, set, cache, common, notes, semfaceBits)));
  return points;
}

async function descriptorPoints(
  set: ExpressionSet,
  cache: DescriptorCache,
  common: CommonEvalOptions,
  notes: string[],
  semfaceBits: number[],
): Promise<EvalPoint[]> {
  const progress = common.onProgress ?? (() => {});
  const points: EvalPoint[] = [];
  const truth = set.items.map((it) => it.classIndex);
  const rows = set.items.map((it) => cache.byKey.get(imageKey(it.path)));
  const present = rows.map((r) => r !== undefined);
  if (!present.some(Boolean)) throw new EvalDatasetError(set.name, 'no image has a descriptor');
  const descriptors = rows.flatMap((r) => (r === undefined ? [] : [cacheRow(cache, r)]));
  const heads = await loadHeads(common.headsDir);
  const hasHead = heads?.manifest.heads.some((h) => h.kind === 'expression') ?? false;
  const codec = await loadCodec(common.codecModelsDir);
  if (!codec) notes.push('expression: no codec models found, only uncoded descriptors are scored');
  if (!hasHead) {
    notes.push('expression: no expression head shipped, descriptor points skipped');
  } else {
    const labels = heads!.expressionLabels;
    const order = EXPRESSION_LABELS.map((l) => labels.indexOf(l));
    let step = 0;
    for await (const variant of descriptorVariants(codec, descriptors, 'expression', common.coders)) {
      progress({ phase: `expression: ${variant.curve}`, done: step++, total: 0 });
      const probs = await heads!.expressions(variant.decoded as Float32Array[]);
      let k = 0;
      const predicted = present.map((ok) => {
        if (!ok) return -1;
        const p = probs[k++]!.probabilities;
        return argmax(order.map((j) => (j >= 0 ? p[j]! : -1)));
      });
      if (variant.retrained) semfaceBits.push(variant.bitsPerFace);
      points.push(
        descriptorPoint(
          'expression',
          variant,
          scoreItems(truth, predicted, present),
          'expression head (SDK)',
        ),
      );
    }
  }
  await heads?.dispose();
  return points;
}

async function imageBaselines(
  e: ExpressionEvalOptions,
  set: ExpressionSet,
  cache: DescriptorCache | undefined,
  common: CommonEvalOptions,
  notes: string[],
  semfaceBits: readonly number[],
): Promise<EvalPoint[]> {
  const points: EvalPoint[] = [];
  const imgSet = e.imageLimit !== undefined ? await readExpressionSet(e.root, e.imageLimit) : set;
  const imgTruth = imgSet.items.map((it) => it.classIndex);
  const imgCovered = imgSet.items.map((it) => cache?.byKey.has(imageKey(it.path)) ?? true);
  const images = await grayImages(imgSet.items.map((it) => it.path));
  const model = await EmotionModel.load();
  const evaluate = async (imgs: readonly RawImage[]) =>
    scoreItems(imgTruth, (await model.predict(imgs)).map(argmax), imgCovered);
  try {
    const native = images[0]?.size ?? 48;
    points.push({
      task: 'expression',
      family: 'ceiling',
      curve: 'ceiling images',
      bitsPerFace: native * native * 8,
      ...(await evaluate(images)),
      scorer: 'emotion.onnx on the original image',
    });
    const same = images.every((im) => im.size === native);
    const base = same ? images : images.map((im) => resizeRaw(im, native));
    points.push(
      ...(await sweepImageBudgets(
        {
          task: 'expression',
          images: base,
          sizes: e.sizes,
          semfaceBits,
          evaluate,
          scorer: 'emotion.onnx on the decoded image',
        },
        common,
        notes,
      )),
    );
  } finally {
    await model.dispose();
  }
  return points;
}
