import { join, relative } from 'node:path';
import {
  type DescriptorJobItem,
  type ImageReadOptions,
  LFW_IMAGE_DIR,
  MediaKind,
  listClassFolderDataset,
  listFer2013,
  listMediaSources,
} from '@semface/extractor';

/** Datasets `semface extract --dataset` can cache. */
export const ExtractDataset = {
  lfw: 'lfw',
  'fer2013-train': 'fer2013-train',
  'fer2013-validation': 'fer2013-validation',
  videos: 'videos',
} as const;
export type ExtractDataset = keyof typeof ExtractDataset;

/** Items of a dataset plus the sidecar facts that describe it. */
export interface DatasetPlan {
  readonly items: DescriptorJobItem[];
  readonly dataset: { readonly name: string; readonly split?: string };
  /** Label names when rows carry a class index. */
  readonly classes?: readonly string[];
  /** How to prepare still images of this dataset before detection. */
  readonly image?: ImageReadOptions;
  /** Still images are face crops: mesh the image region when the detector finds nothing. */
  readonly cropFallback?: boolean;
}

/**
 * FER2013 faces are 48x48 crops with no margin: upscaled to 96 px and mirror-padded by half a side
 * they are found far more often (155 -> 188 of 200 validation images in a spot check).
 */
export const FER2013_IMAGE_PREP: ImageReadOptions = Object.freeze({ minSide: 96, padFraction: 0.5 });

/** True when `name` is a known dataset. */
export function isExtractDataset(name: string): name is ExtractDataset {
  return Object.hasOwn(ExtractDataset, name);
}

/**
 * Lists a dataset under `dataRoot` (the folder holding `lfw/`, `fer2013/`, `videos/`). Sources in the
 * sidecar are relative to `dataRoot` so caches do not depend on where the data is mounted.
 */
export async function planDataset(name: ExtractDataset, dataRoot: string): Promise<DatasetPlan> {
  const rel = (path: string): string => relative(dataRoot, path);
  switch (name) {
    case 'lfw': {
      // Identity = person folder; every image of all 5,749 people, so any pair list can be scored.
      const ds = await listClassFolderDataset(join(dataRoot, 'lfw', LFW_IMAGE_DIR));
      return {
        items: ds.items.map((i) => ({ ...i, kind: MediaKind.image, source: rel(i.path) })),
        dataset: { name: 'lfw', split: 'all' },
        classes: ds.classes,
      };
    }
    case 'fer2013-train':
    case 'fer2013-validation': {
      const split = name === 'fer2013-train' ? 'train' : 'validation';
      const ds = await listFer2013(join(dataRoot, 'fer2013'), split);
      return {
        items: ds.items.map((i) => ({ ...i, kind: MediaKind.image, source: rel(i.path) })),
        dataset: { name: 'fer2013', split },
        classes: ds.classes,
        image: FER2013_IMAGE_PREP,
        cropFallback: true,
      };
    }
    case 'videos': {
      const sources = await listMediaSources(join(dataRoot, 'videos'));
      const videos = sources.filter((s) => s.kind === MediaKind.video);
      const classes = videos.map((s) => rel(s.path));
      return {
        items: videos.map((s, classIndex) => ({
          path: s.path,
          kind: s.kind,
          source: rel(s.path),
          label: rel(s.path),
          classIndex,
        })),
        dataset: { name: 'videos' },
        classes,
      };
    }
  }
}
