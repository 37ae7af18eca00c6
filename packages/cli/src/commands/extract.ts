import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type DescriptorJobItem,
  type DescriptorJobResult,
  type ImageReadOptions,
  listMediaSources,
  probeVideo,
  resolveDataRoot,
  runDescriptorJob,
} from '@semface/extractor';
import type { Command } from '../command.js';
import { ExtractDataset, isExtractDataset, planDataset } from '../extract/datasets.js';
import { loadDescriptorSource } from '../extract/descriptor-source.js';
import { defaultCacheDir, findRepoRoot } from '../extract/repo-root.js';
import { ProgressBar } from '../progress.js';

const USAGE = `Usage:
  semface extract <image|video|dir> -o out.npy [--all-faces] [--fps N] [--max-frames N]
  semface extract --dataset ${Object.keys(ExtractDataset).join('|')} [--data-root DIR] [-o out.npy]

Detects faces, fits the 3D face model, refines the expression coefficients (80:144) with the
emotion network and the learned refiner, and writes one 257-D descriptor per face as a float32
.npy (rows x 257) plus a JSON sidecar (out.json: source, frame, box, scores, fit error per row,
the model files with their hashes, and the inputs that failed with their error codes). A failing
input is recorded and skipped.

Options:
  -o, --out FILE        output .npy (dataset default: artifacts/cache/<dataset>.npy)
  --all-faces           one row per detected face (default: the largest face only)
  --fps N               sample videos at N frames per second (default: every frame)
  --max-frames N        at most N frames per video
  --dataset NAME        cache a dataset: ${Object.keys(ExtractDataset).join(', ')}
  --data-root DIR       data root holding lfw/, fer2013/, videos/ (default: $SEMFACE_DATA_ROOT or ../shared/data)
  --limit N             only the first N inputs (quick runs)
  --min-side N          upscale still images whose longer side is below N px (fer2013 default 96)
  --pad F               mirror-pad still images by F x their size per side (fer2013 default 0.5)
  --crop-fallback       images are face crops: when no face is detected, mesh the image itself
                        (fer2013 default; such rows have cropFallback: true in the sidecar)
  --model-dir DIR       detector/mesh/iris/emotion/refiner ONNX folder (default: packaged models)
  --face-model-dir DIR  face model folder (default: packaged face model)
  --symmetric           mirror-symmetric extraction: a second pipeline on each mirrored frame, motion averaged (2x cost)
  --no-refine           skip the expression refinement: the plain 3DMM fit's descriptors
  -q, --quiet           no progress output`;

function positiveNumber(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  }
  return value;
}

function formatSummary(result: DescriptorJobResult): string {
  const { summary } = result;
  const lines = [
    `wrote ${result.rows} descriptors to ${result.npyPath} (sidecar ${result.sidecarPath})`,
    `inputs: ${summary.total}, ok ${summary.succeeded}, failed ${summary.failed}`,
  ];
  for (const [code, count] of Object.entries(summary.failuresByCode).sort())
    lines.push(`  ${code}: ${count}`);
  if (result.framesWithoutFace > 0) lines.push(`video frames without a face: ${result.framesWithoutFace}`);
  return `${lines.join('\n')}\n`;
}

/** `semface extract`: descriptors of images, videos, folders or whole datasets into .npy + sidecar. */
export const extractCommand: Command = {
  name: 'extract',
  summary: 'Extract 257-D face descriptors from images, videos or datasets into .npy + JSON',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        'all-faces': { type: 'boolean', default: false },
        fps: { type: 'string' },
        'max-frames': { type: 'string' },
        dataset: { type: 'string' },
        'data-root': { type: 'string' },
        limit: { type: 'string' },
        'min-side': { type: 'string' },
        pad: { type: 'string' },
        'crop-fallback': { type: 'boolean', default: false },
        'model-dir': { type: 'string' },
        'face-model-dir': { type: 'string' },
        symmetric: { type: 'boolean', default: false },
        'no-refine': { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
      },
    });
    const fps = positiveNumber('fps', values.fps, false);
    const maxFrames = positiveNumber('max-frames', values['max-frames'], true);
    const limit = positiveNumber('limit', values.limit, true);
    const minSide = positiveNumber('min-side', values['min-side'], true);
    const pad = positiveNumber('pad', values.pad, false);

    let items: DescriptorJobItem[];
    let out: string;
    let dataset: { name: string; split?: string } | undefined;
    let classes: readonly string[] | undefined;
    let image: ImageReadOptions = {};
    let cropFallback = values['crop-fallback'];
    if (values.dataset !== undefined) {
      if (positionals.length > 0) throw new TypeError('give either --dataset or an input path, not both');
      if (!isExtractDataset(values.dataset)) {
        throw new RangeError(
          `unknown dataset '${values.dataset}' (${Object.keys(ExtractDataset).join(', ')})`,
        );
      }
      const repoRoot = findRepoRoot();
      const plan = await planDataset(values.dataset, resolveDataRoot(values['data-root'], repoRoot));
      items = plan.items;
      dataset = plan.dataset;
      classes = plan.classes;
      image = plan.image ?? {};
      cropFallback ||= plan.cropFallback ?? false;
      out = resolve(values.out ?? join(defaultCacheDir(repoRoot), `${values.dataset}.npy`));
    } else {
      if (positionals.length !== 1) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      if (values.out === undefined) throw new TypeError('-o/--out is required');
      items = await listMediaSources(positionals[0]!);
      out = resolve(values.out);
    }
    if (limit !== undefined) items = items.slice(0, limit);
    if (items.length === 0) throw new RangeError('no image or video input found');
    await mkdir(dirname(out), { recursive: true });

    const source = await loadDescriptorSource({
      modelDir: values['model-dir'],
      faceModelDir: values['face-model-dir'],
      symmetric: values.symmetric,
      refine: !values['no-refine'],
    });
    // A single video is one long item: count its frames instead.
    const single = items.length === 1 && items[0]!.kind === 'video' ? items[0]! : undefined;
    let frameTotal: number | undefined;
    if (single) {
      const info = await probeVideo(single.path);
      const frames = info.frameCount ?? Math.round(((info.durationMs ?? 0) / 1000) * info.fps);
      frameTotal = fps !== undefined ? Math.ceil((frames * Math.min(fps, info.fps)) / info.fps) : frames;
      if (maxFrames !== undefined) frameTotal = Math.min(frameTotal, maxFrames);
    }
    const bar = values.quiet
      ? undefined
      : new ProgressBar({ total: frameTotal ?? items.length, label: single ? 'frames' : 'inputs' });
    try {
      const result = await runDescriptorJob(items, {
        out,
        extractor: source,
        header: {
          command: ['semface', 'extract', ...argv].join(' '),
          models: source.models,
          ...(dataset ? { dataset } : {}),
          ...(classes ? { classes } : {}),
        },
        allFaces: values['all-faces'],
        cropFallback,
        ...image,
        ...(minSide !== undefined ? { minSide } : {}),
        ...(pad !== undefined ? { padFraction: pad } : {}),
        ...(fps !== undefined ? { fps } : {}),
        ...(maxFrames !== undefined ? { maxFramesPerVideo: maxFrames } : {}),
        onItem: (_done, _total, failed) => {
          if (!single) bar?.tick(1, failed - bar.state.failed);
        },
        onFrame: () => {
          if (single) bar?.tick();
        },
      });
      bar?.finish();
      process.stdout.write(formatSummary(result));
      return result.rows > 0 ? 0 : 1;
    } finally {
      bar?.finish();
      await source.close();
    }
  },
};
