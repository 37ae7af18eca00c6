import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDatasets } from './generated-data.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.js');
// Project-generated fixtures: the codec's tiny models and untrained heads (training/heads/fixture.py).
const CODEC_MODELS = join(REPO, 'packages/codec-core/src/models/fixtures/tiny');
const HEADS = join(REPO, 'test/eval/fixtures/heads');

interface Point {
  task: string;
  family: string;
  curve: string;
  bitsPerFace: number;
  accuracy: number;
  accuracyCovered: number;
  items: number;
  covered: number;
  coder?: string;
  retrained?: boolean;
  budgetBits?: number;
  best?: boolean;
  std?: number;
}

describe('semface eval on a generated dataset', () => {
  let dir: string;
  let out: string;
  let report: { points: Point[]; notes: string[] };
  let stdout: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'semface-eval-test-'));
    const ds = generateDatasets(dir);
    out = join(dir, 'out');
    stdout = execFileSync(
      process.execPath,
      [
        CLI,
        'eval',
        ...['--data-root', dir, '--pairs', ds.pairs, '--images', ds.images],
        ...['--lfw-descriptors', join(dir, 'lfw.npy')],
        ...['--expression-root', ds.expression, '--expression-descriptors', join(dir, 'fer.npy')],
        ...['--codec-models', CODEC_MODELS, '--heads', HEADS, '--coders', 'rans,ppm'],
        ...[
          '--image-codecs',
          'jpeg,hevc',
          '--budgets',
          '3000,20000',
          '--size-candidates',
          '1',
          '--calibration',
          '4',
        ],
        ...['-o', out, '-q'],
      ],
      { cwd: REPO, encoding: 'utf8', timeout: 300_000 },
    );
    report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  }, 320_000);

  afterAll(() => {
    if (dir && !process.env.SEMFACE_KEEP_EVAL_TEST) rmSync(dir, { recursive: true, force: true });
  });

  it('reports points for both tasks and says where it wrote them', () => {
    expect(stdout).toMatch(/points; wrote .*results\.json/);
    expect(report.points.some((p) => p.task === 'verification')).toBe(true);
    expect(report.points.some((p) => p.task === 'expression')).toBe(true);
    for (const p of report.points) {
      expect(p.accuracy).toBeGreaterThanOrEqual(0);
      expect(p.accuracy).toBeLessThanOrEqual(1);
      expect(p.bitsPerFace).toBeGreaterThan(0);
    }
  });

  it('scores every codec model and coder, with and without retraining', () => {
    for (const task of ['verification', 'expression']) {
      const d = report.points.filter((p) => p.task === task && p.family === 'descriptor');
      expect(new Set(d.map((p) => p.coder))).toEqual(new Set(['rans', 'ppm']));
      expect(d.some((p) => p.retrained === true)).toBe(true);
      expect(d.some((p) => p.curve.includes('no retraining'))).toBe(true);
      expect(report.points.some((p) => p.task === task && p.curve === 'ceiling descriptors')).toBe(true);
      expect(report.points.some((p) => p.task === task && p.curve === 'ceiling images')).toBe(true);
    }
  });

  it('uses the LFW protocol: 4 pairs over 2 folds, with a fold std', () => {
    const c = report.points.find((p) => p.task === 'verification' && p.curve === 'ceiling descriptors')!;
    expect(c.items).toBe(4);
    expect(c.covered).toBe(4);
    expect(c.std).toBeGreaterThanOrEqual(0);
  });

  it('counts expression images without a descriptor as uncovered', () => {
    const c = report.points.find((p) => p.task === 'expression' && p.curve === 'ceiling descriptors')!;
    expect(c.items).toBe(12);
    expect(c.covered).toBe(9);
  });

  it('lands image baselines near each budget', () => {
    const img = report.points.filter((p) => p.family === 'image' && p.best);
    expect(new Set(img.map((p) => p.curve))).toEqual(new Set(['jpeg', 'hevc']));
    for (const p of img) expect(p.bitsPerFace).toBeLessThanOrEqual(p.budgetBits! * 1.35);
  });

  it('runs the image baselines alone when there is no descriptor cache', () => {
    const out2 = join(dir, 'out-images');
    execFileSync(
      process.execPath,
      [
        CLI,
        'eval',
        ...['--task', 'expression', '--expression-root', join(dir, 'fer')],
        ...['--expression-descriptors', join(dir, 'missing.npy'), '--no-codec', '--image-codecs', 'jpeg'],
        ...['--budgets', '3000', '--calibration', '4', '-o', out2, '-q'],
      ],
      { cwd: REPO, encoding: 'utf8', timeout: 120_000 },
    );
    const r: { points: Point[]; notes: string[] } = JSON.parse(
      readFileSync(join(out2, 'results.json'), 'utf8'),
    );
    expect(r.points.every((p) => p.family !== 'descriptor')).toBe(true);
    expect(r.points.some((p) => p.curve === 'jpeg' && p.covered === 12)).toBe(true);
    expect(r.notes.some((n) => n.includes('image baselines only'))).toBe(true);
  }, 130_000);

  it('writes a Markdown table and PNG plots', () => {
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toContain('| system | bits/face |');
    for (const task of ['verification', 'expression']) {
      const png = readFileSync(join(out, `${task}.png`));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(existsSync(join(out, `${task}.svg`))).toBe(true);
    }
  });
});
