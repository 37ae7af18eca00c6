/** Evaluation tasks. */
export const EvalTask = { verification: 'verification', expression: 'expression' } as const;
/** Name of an evaluation task. */
export type EvalTask = (typeof EvalTask)[keyof typeof EvalTask];

/** Which pipeline produced a point. */
export const PointFamily = {
  /** Descriptors through the semface codec + receiver heads. */
  descriptor: 'descriptor',
  /** Face crops through an image codec + image models. */
  image: 'image',
  /** Recogniser embeddings through the identity code (issue 13) + cosine of the decoded codes. */
  identityCode: 'identity-code',
  /** No coding at all (descriptors or original images). */
  ceiling: 'ceiling',
} as const;
/** Name of a point family. */
export type PointFamily = (typeof PointFamily)[keyof typeof PointFamily];

/** One point on the rate-accuracy plane. */
export interface EvalPoint {
  readonly task: EvalTask;
  readonly family: PointFamily;
  /** Curve the point belongs to, e.g. `semface identity (retrained) rans`, `hevc`, `ceiling images`. */
  readonly curve: string;
  /** Mean bits per face (payload for descriptors, whole coded image for images, raw size for ceilings). */
  readonly bitsPerFace: number;
  /** Accuracy with missing faces counted as wrong, in [0, 1] (verification: k-fold mean). */
  readonly accuracy: number;
  /** k-fold standard deviation (verification). */
  readonly std?: number;
  /** Accuracy on the covered set only (items every pipeline could process), in [0, 1]. */
  readonly accuracyCovered: number;
  /** Items (pairs or images) scored, and how many of them the pipeline had input for. */
  readonly items: number;
  readonly covered: number;
  /** Descriptor points: codec model, profile, rate, coder, whether the profile model was trained for it. */
  readonly profile?: string;
  readonly rateIndex?: number;
  readonly coder?: string;
  readonly retrained?: boolean;
  readonly modelId?: string;
  /** Container bits per face on top of the payload (descriptor points). */
  readonly overheadBitsPerFace?: number;
  /** Image points: target budget, coded side in pixels, quality parameter; `best` marks the kept setting. */
  readonly budgetBits?: number;
  readonly size?: number;
  readonly quality?: number;
  readonly best?: boolean;
  /** How distances/labels were produced (head kind, fold models, raw distance). */
  readonly scorer: string;
  readonly perFold?: readonly number[];
}

/** The accuracy fields of a point, as a task's scorer produces them. */
export type PointScore = Pick<
  EvalPoint,
  'accuracy' | 'std' | 'accuracyCovered' | 'items' | 'covered' | 'perFold'
>;
