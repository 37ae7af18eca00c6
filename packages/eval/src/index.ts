export * from './errors.js';
export { type DescriptorCache, cacheRow, imageKey, loadDescriptorCache } from './data/descriptor-cache.js';
export { type VerificationPair, type VerificationSet, readVerificationSet } from './data/verification-set.js';
export {
  EXPRESSION_LABELS,
  type ExpressionItem,
  type ExpressionSet,
  readExpressionSet,
} from './data/expression-set.js';
export {
  type ScoredPair,
  type VerificationScore,
  bestThreshold,
  cosineDistance,
  euclidean,
  kFoldVerification,
} from './metrics/verification.js';
export { type ClassificationScore, argmax, classificationScore } from './metrics/classification.js';
export { type CodedDescriptors, codeDescriptors } from './codec/descriptor-coding.js';
export {
  type CodedBatch,
  IMAGE_CODEC_NAMES,
  type ImageCodec,
  ImageCodecName,
  availableImageCodecs,
  av1Codec,
  hevcCodec,
  imageCodec,
  jpegCodec,
} from './baselines/image-codecs.js';
export { type BudgetSetting, searchQuality, settingsForBudget } from './baselines/budget-search.js';
export { type RawImage, rawToRgba, resizeRaw } from './baselines/raw-image.js';
export { FACE_CROP_SIZE, cropSquare, faceCrops, grayImages } from './images/face-crops.js';
export { EmotionModel } from './models/emotion-model.js';
export { EvalTask, type EvalPoint, PointFamily } from './run/eval-point.js';
export {
  COMMON_EVAL_DEFAULTS,
  type CommonEvalOptions,
  EXPRESSION_SIZES,
  type EvalProgress,
  type ExpressionEvalOptions,
  FALLBACK_BUDGETS,
  VERIFICATION_SIZES,
  type VerificationEvalOptions,
} from './run/eval-options.js';
export {
  type EvaluationOptions,
  type EvaluationReport,
  runEvaluation,
  writeReport,
} from './run/run-evaluation.js';
export { markdownTable } from './report/markdown.js';
export { rateAccuracySvg, svgToPng } from './report/plot.js';
export { type TeacherOptions, computeTeacherEmbeddings } from './teacher/teacher-embeddings.js';
export { IDENTITY_CODE_CURVE, identityCodePoints } from './run/identity-code-eval.js';
