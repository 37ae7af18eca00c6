import { listClassFolderDataset } from '@semface/extractor';

/** Canonical expression labels of the receiver heads (FER2013 folder order). */
export const EXPRESSION_LABELS = Object.freeze([
  'angry',
  'disgust',
  'fear',
  'happy',
  'neutral',
  'sad',
  'surprise',
] as const);

/** One labelled image of an expression dataset. */
export interface ExpressionItem {
  readonly path: string;
  readonly label: string;
  /** Index into {@link EXPRESSION_LABELS}; -1 when the folder name is not one of them. */
  readonly classIndex: number;
}

/** A folder-per-class expression dataset. */
export interface ExpressionSet {
  readonly name: string;
  readonly items: readonly ExpressionItem[];
}

/**
 * Lists `<root>/<class>/<image>`; folder names must be expression labels. `limit` keeps an evenly
 * spaced subset of that many items (so every class stays represented).
 */
export async function readExpressionSet(root: string, limit?: number): Promise<ExpressionSet> {
  const ds = await listClassFolderDataset(root);
  let items: ExpressionItem[] = ds.items.map((it) => ({
    path: it.path,
    label: it.label,
    classIndex: (EXPRESSION_LABELS as readonly string[]).indexOf(it.label),
  }));
  if (limit !== undefined && limit < items.length) {
    const step = items.length / limit;
    items = Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
  }
  return { name: root, items };
}
