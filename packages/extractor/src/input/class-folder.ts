import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFormatError, InputNotFoundError } from '../errors.js';
import { MediaKind, mediaKindOf } from './sources.js';

/** One labelled image of a folder-per-class dataset. */
export interface ClassFolderItem {
  readonly path: string;
  /** Class name = folder name. */
  readonly label: string;
  /** Index of `label` in the dataset's sorted `classes`. */
  readonly classIndex: number;
}

/** A folder-per-class dataset (`<root>/<class>/<image>`). */
export interface ClassFolderDataset {
  /** Class names in code-point order; `classIndex` indexes this. */
  readonly classes: readonly string[];
  /** Images, by class then file name (code-point order). */
  readonly items: readonly ClassFolderItem[];
}

/** The seven FER2013 expression classes, in folder (alphabetical) order. */
export const FER2013_CLASSES = Object.freeze([
  'angry',
  'disgust',
  'fear',
  'happy',
  'neutral',
  'sad',
  'surprise',
] as const);
export type Fer2013Class = (typeof FER2013_CLASSES)[number];

/** The FER2013 splits kept in the data root (PrivateTest is held out on purpose). */
export const Fer2013Split = { train: 'train', validation: 'validation' } as const;
export type Fer2013Split = keyof typeof Fer2013Split;

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists a folder-per-class image dataset: every non-hidden sub-folder of `root` is a class, every
 * image file directly inside it an item. Non-image files are ignored.
 * @throws InputNotFoundError (SEMFACE_ERR_INPUT_NOT_FOUND), DatasetFormatError (no class folder)
 */
export async function listClassFolderDataset(root: string): Promise<ClassFolderDataset> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputNotFoundError(root);
    throw err;
  }
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodePoint);
  if (classes.length === 0) throw new DatasetFormatError(root, 'no class folders');
  const items: ClassFolderItem[] = [];
  for (const [classIndex, label] of classes.entries()) {
    const files = (await readdir(join(root, label), { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith('.') && mediaKindOf(e.name) === MediaKind.image)
      .map((e) => e.name)
      .sort(byCodePoint);
    for (const name of files) items.push({ path: join(root, label, name), label, classIndex });
  }
  return { classes, items };
}

/** Lists one FER2013 split under `fer2013Root` (the folder holding `train/` and `validation/`). */
export function listFer2013(fer2013Root: string, split: Fer2013Split): Promise<ClassFolderDataset> {
  return listClassFolderDataset(join(fer2013Root, Fer2013Split[split]));
}
