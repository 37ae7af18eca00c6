import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CoderName } from '@semface/codec-core';
import {
  COMMON_EVAL_DEFAULTS,
  EXPRESSION_SIZES,
  type EvalProgress,
  type EvaluationOptions,
  type EvaluationReport,
  type ImageCodecName,
  VERIFICATION_SIZES,
  computeTeacherEmbeddings,
  runEvaluation,
  writeReport,
} from '@semface/eval';
import { resolveDataRoot } from '@semface/extractor';
import type { Command } from '../command.js';
import { defaultCacheDir, findRepoRoot } from '../extract/repo-root.js';
import { ProgressBar } from '../progress.js';

const USAGE = `Usage:
  semface eval [--task verification|expression|both] [options]
  semface eval --teacher [--data-root DIR] [-o artifacts/cache/lfw-teacher.npy] [--limit N]

Rate-accuracy evaluation of receiver intelligence: semface descriptors through every codec model
(profile, rate point, coder; partial profiles with and without retraining) + the SDK heads, against
face crops coded with JPEG / HEVC intra / AV1 intra at matched bit budgets + the image models, and
the uncoded ceilings of both. Writes results.json, results.md and PNG plots.

Options:
  --task T                 verification, expression or both (default both)
  --data-root DIR          data root (default: $SEMFACE_DATA_ROOT or ../shared/data)
  --pairs FILE             pairs list in LFW format (default <data>/lfw/pairs.txt, View 2)
  --images DIR             image root of the pairs (default <data>/lfw)
  --lfw-descriptors FILE   descriptor cache of those images (default artifacts/cache/lfw.npy)
  --expression-root DIR    folder-per-class dataset (default <data>/fer2013/validation)
  --expression-descriptors FILE  its descriptor cache (default artifacts/cache/fer2013-validation.npy)
  --limit N                verification: first N same + N different pairs per fold; expression: N images
  --image-limit N          same, for the image baselines (0 = none; default = --limit)
  --codec-models DIR       codec manifest folder (default: codec-core's models); --no-codec to skip
  --heads DIR              receiver heads folder (default: the SDK's models)
  --coders LIST            entropy coders (default rans,ppm)
  --image-codecs LIST      jpeg,hevc,av1 (default all that ffmpeg offers)
  --budgets LIST           image baseline budgets in bits (default: the semface rates of the task profile)
  --size-candidates N      image sizes tried per budget (default 2)
  --calibration N          images used for each quality search (default 48)
  --identity-code-embeddings FILE  recogniser embeddings for the identity-code points
                           (default artifacts/cache/idcode/lfw-faceapi.npy; scripts/idcode/extract-landmarks.mjs)
  --identity-code-models DIR  fold-<k>.json identity-code models (default artifacts/cache/idcode/folds;
                           training.idcode.export --folds); missing: the shipped model (optimistic)
  --merge LIST             add the points of earlier results.json files (e.g. slow image baselines)
  -o, --out DIR            output folder (default docs/eval; with --teacher: the .npy path)
  -q, --quiet              no progress output`;

function intOption(name: string, text: string | undefined, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(`--${name} must be an integer >= ${min}, got '${text}'`);
  return v;
}

function listOption(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** `semface eval`: rate-accuracy evaluation of descriptors + heads vs image codecs. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Rate-accuracy evaluation: verification and expression from descriptors vs image codecs',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        task: { type: 'string', default: 'both' },
        'data-root': { type: 'string' },
        pairs: { type: 'string' },
        images: { type: 'string' },
        'lfw-descriptors': { type: 'string' },
        'expression-root': { type: 'string' },
        'expression-descriptors': { type: 'string' },
        limit: { type: 'string' },
        'image-limit': { type: 'string' },
        'codec-models': { type: 'string' },
        'no-codec': { type: 'boolean', default: false },
        heads: { type: 'string' },
        coders: { type: 'string' },
        'image-codecs': { type: 'string' },
        budgets: { type: 'string' },
        'size-candidates': { type: 'string' },
        calibration: { type: 'string' },
        teacher: { type: 'boolean', default: false },
        merge: { type: 'string' },
        'identity-code-embeddings': { type: 'string' },
        'identity-code-models': { type: 'string' },
        out: { type: 'string', short: 'o' },
        quiet: { type: 'boolean', short: 'q', default: false },
      },
    });
    const repoRoot = findRepoRoot();
    const dataRoot = resolveDataRoot(values['data-root'], repoRoot);
    const limit = intOption('limit', values.limit);
    const command = ['semface', 'eval', ...argv].join(' ');

    if (values.teacher) {
      const out = resolve(values.out ?? join(defaultCacheDir(repoRoot), 'lfw-teacher.npy'));
      const bar = values.quiet ? undefined : new ProgressBar({ label: 'teacher embeddings' });
      const r = await computeTeacherEmbeddings({
        lfwRoot: join(dataRoot, 'lfw'),
        dataRoot,
        out,
        ...(limit !== undefined ? { limit } : {}),
        command,
        onImage: (_d, total, failed) => {
          if (bar && bar.state.total === undefined) bar.setTotal(total);
          bar?.tick(1, failed - (bar?.state.failed ?? 0));
        },
      });
      bar?.finish();
      process.stdout.write(`wrote ${r.rows} teacher embeddings to ${out} (${r.failed} images failed)\n`);
      return r.rows > 0 ? 0 : 1;
    }

    const task = values.task;
    if (task !== 'verification' && task !== 'expression' && task !== 'both') {
      throw new RangeError(`--task must be verification, expression or both, got '${task}'`);
    }
    const imageLimit = intOption('image-limit', values['image-limit'], 0);
    const budgets = listOption(values.budgets)?.map(Number);
    const cache = defaultCacheDir(repoRoot);
    let bar: ProgressBar | undefined;
    let phase = '';
    const onProgress = (p: EvalProgress) => {
      if (values.quiet) return;
      if (p.phase !== phase) {
        bar?.finish();
        bar = undefined;
        phase = p.phase;
        // Phases without a known size (one codec run, one budget search) get a plain line.
        if (p.total > 0) bar = new ProgressBar({ label: p.phase, total: p.total });
        else process.stderr.write(`${p.phase}\n`);
      }
      if (p.total > 0 && bar) bar.tick(Math.max(0, p.done - bar.state.done));
    };
    const options: EvaluationOptions = {
      codecModelsDir: values['no-codec'] ? null : values['codec-models'],
      ...(values.heads !== undefined ? { headsDir: resolve(values.heads) } : {}),
      coders: (listOption(values.coders) as CoderName[] | undefined) ?? COMMON_EVAL_DEFAULTS.coders,
      imageCodecs:
        (listOption(values['image-codecs']) as ImageCodecName[] | undefined) ??
        COMMON_EVAL_DEFAULTS.imageCodecs,
      ...(budgets ? { budgets } : {}),
      sizeCandidates:
        intOption('size-candidates', values['size-candidates']) ?? COMMON_EVAL_DEFAULTS.sizeCandidates,
      calibrationImages:
        intOption('calibration', values.calibration) ?? COMMON_EVAL_DEFAULTS.calibrationImages,
      onProgress,
      ...(task !== 'expression'
        ? {
            verification: {
              pairsFile: resolve(values.pairs ?? join(dataRoot, 'lfw', 'pairs.txt')),
              imageRoot: resolve(values.images ?? join(dataRoot, 'lfw')),
              descriptors: resolve(values['lfw-descriptors'] ?? join(cache, 'lfw.npy')),
              ...(limit !== undefined ? { limitPerFold: limit } : {}),
              ...(imageLimit !== undefined ? { imageLimitPerFold: imageLimit } : {}),
              sizes: VERIFICATION_SIZES,
              identityCodeEmbeddings: resolve(
                values['identity-code-embeddings'] ?? join(cache, 'idcode', 'lfw-faceapi.npy'),
              ),
              identityCodeModels: resolve(values['identity-code-models'] ?? join(cache, 'idcode', 'folds')),
            },
          }
        : {}),
      ...(task !== 'verification'
        ? {
            expression: {
              root: resolve(values['expression-root'] ?? join(dataRoot, 'fer2013', 'validation')),
              descriptors: resolve(values['expression-descriptors'] ?? join(cache, 'fer2013-validation.npy')),
              ...(limit !== undefined ? { limit } : {}),
              ...(imageLimit !== undefined ? { imageLimit } : {}),
              sizes: EXPRESSION_SIZES,
            },
          }
        : {}),
    };
    try {
      let report = await runEvaluation(options);
      bar?.finish();
      for (const file of listOption(values.merge) ?? []) {
        const earlier = JSON.parse(await readFile(resolve(file), 'utf8')) as EvaluationReport;
        report = {
          ...report,
          points: [...report.points, ...earlier.points],
          notes: [...report.notes, ...earlier.notes.map((n) => `(merged from ${file}) ${n}`)],
        };
      }
      const outDir = resolve(values.out ?? join(repoRoot, 'docs', 'eval'));
      const files = await writeReport({ ...report, options: { ...report.options, command } }, outDir);
      for (const n of report.notes) process.stderr.write(`note: ${n}\n`);
      process.stdout.write(`${report.points.length} points; wrote ${files.join(', ')}\n`);
      return report.points.length > 0 ? 0 : 1;
    } finally {
      bar?.finish();
    }
  },
};
