import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_CODEC_NAMES, availableImageCodecs } from '../baselines/image-codecs.js';
import { markdownTable } from '../report/markdown.js';
import { rateAccuracySvg, svgToPng } from '../report/plot.js';
import type { EvalPoint, EvalTask } from './eval-point.js';
import {
  type CommonEvalOptions,
  type ExpressionEvalOptions,
  type VerificationEvalOptions,
  validateCommonOptions,
} from './eval-options.js';
import { evaluateExpression } from './expression-eval.js';
import { evaluateVerification } from './verification-eval.js';

/** What to evaluate: one or both tasks. */
export interface EvaluationOptions extends CommonEvalOptions {
  readonly verification?: VerificationEvalOptions;
  readonly expression?: ExpressionEvalOptions;
}

/** The result of an evaluation run. */
export interface EvaluationReport {
  readonly created: string;
  readonly options: Record<string, unknown>;
  readonly points: readonly EvalPoint[];
  /** What was skipped or approximated, in words. */
  readonly notes: readonly string[];
}

/** Runs the requested tasks. Image codecs missing from ffmpeg are dropped with a note. */
export async function runEvaluation(options: EvaluationOptions): Promise<EvaluationReport> {
  validateCommonOptions(options);
  const notes: string[] = [];
  const available = await availableImageCodecs();
  const imageCodecs = options.imageCodecs.filter((c) => {
    if (!(IMAGE_CODEC_NAMES as readonly string[]).includes(c))
      throw new RangeError(`unknown image codec '${c}'`);
    if (!available.includes(c)) notes.push(`image codec ${c} is not available in ffmpeg, skipped`);
    return available.includes(c);
  });
  const common = { ...options, imageCodecs };
  const points: EvalPoint[] = [];
  if (options.verification) points.push(...(await evaluateVerification(options.verification, common, notes)));
  if (options.expression) points.push(...(await evaluateExpression(options.expression, common, notes)));
  const { onProgress: _p, ...rest } = options;
  return { created: new Date().toISOString(), options: { ...rest }, points, notes };
}

/** Writes `<dir>/results.json`, `<dir>/results.md` and one PNG (+ SVG) plot per task. */
export async function writeReport(
  report: EvaluationReport,
  dir: string,
  title = 'semface',
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const json = join(dir, 'results.json');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  files.push(json);
  const md: string[] = [`# ${title}: rate-accuracy results`, '', `Created ${report.created}.`, ''];
  for (const task of ['verification', 'expression'] as EvalTask[]) {
    if (!report.points.some((p) => p.task === task)) continue;
    md.push(`## ${task}`, '', markdownTable(report.points, task), `![${task}](${task}.png)`, '');
    const svg = rateAccuracySvg(report.points, task, `${title}: ${task} accuracy vs bits per face`);
    await writeFile(join(dir, `${task}.svg`), svg);
    await writeFile(join(dir, `${task}.png`), await svgToPng(svg));
    files.push(join(dir, `${task}.png`));
  }
  if (report.notes.length) md.push('## notes', '', ...report.notes.map((n) => `- ${n}`), '');
  await writeFile(join(dir, 'results.md'), md.join('\n'));
  files.push(join(dir, 'results.md'));
  return files;
}
