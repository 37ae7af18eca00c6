import { existsSync } from 'node:fs';
import { DESCRIPTOR_LENGTH } from '@semface/codec-core';
import { type DescriptorSidecar, readNpy, readSidecar, sidecarPathFor } from '@semface/extractor';
import { DescriptorCacheError } from '../errors.js';

/** A descriptor cache (`semface extract` output) indexed by image key. */
export interface DescriptorCache {
  readonly path: string;
  /** Rows x 257 descriptors, row-major. */
  readonly data: Float32Array;
  readonly rows: number;
  readonly sidecar: DescriptorSidecar;
  /** Image key ({@link imageKey}) -> first row of that image. */
  readonly byKey: ReadonlyMap<string, number>;
}

/**
 * Key that identifies an image across path conventions: its last two path components
 * (`Person/Person_0001.jpg` in LFW, `class/file.jpg` in folder-per-class sets), so caches written
 * with paths relative to the data root match absolute paths built from a pairs list.
 */
export function imageKey(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p.length > 0);
  return parts.slice(-2).join('/');
}

/** Loads `<path>.npy` and its sidecar; rows of video frames or extra faces keep the first face per image. */
export async function loadDescriptorCache(path: string): Promise<DescriptorCache> {
  if (!existsSync(path)) throw new DescriptorCacheError(path, 'file not found (run `semface extract` first)');
  const matrix = await readNpy(path);
  if (matrix.cols !== DESCRIPTOR_LENGTH) {
    throw new DescriptorCacheError(path, `has ${matrix.cols} columns, expected ${DESCRIPTOR_LENGTH}`);
  }
  const sidecar = await readSidecar(sidecarPathFor(path));
  if (sidecar.rows.length !== matrix.rows) {
    throw new DescriptorCacheError(path, `sidecar has ${sidecar.rows.length} rows, array ${matrix.rows}`);
  }
  const byKey = new Map<string, number>();
  sidecar.rows.forEach((r, i) => {
    const key = imageKey(r.source);
    if (!byKey.has(key)) byKey.set(key, i);
  });
  return { path, data: matrix.data, rows: matrix.rows, sidecar, byKey };
}

/** Row `i` of a cache (a view, no copy). */
export function cacheRow(cache: DescriptorCache, i: number): Float32Array {
  return cache.data.subarray(i * DESCRIPTOR_LENGTH, (i + 1) * DESCRIPTOR_LENGTH);
}
