import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODELS_DIR } from '@semface/codec-core';
import { type Demo, startDemo } from '@semface/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The trained codec when installed, else codec-core's committed test fixture (untrained, same format).
const codecModelsDir = existsSync(join(DEFAULT_MODELS_DIR, 'manifest.json'))
  ? undefined
  : join(root, 'packages/codec-core/src/models/fixtures/tiny');

if (!hasChromium) process.stdout.write(`skipped: no browser at ${CHROMIUM}\n`);

const FER2013_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

interface PageState {
  drawn: number;
  stats: { frames: number; bitrateKbps: number; bitsPerFrame: { last: number | null } } | null;
}

describe.skipIf(!hasChromium)('semface demo in headless chromium', () => {
  let demo: Demo;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, codecModelsDir, photoFps: 10, slideSeconds: 1.5 });
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await demo?.close();
  });

  it('draws the avatar and shows live numbers', async () => {
    const page = await chromium!.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.url}?decode=server`);
    await page.waitForFunction(
      () =>
        (
          window as unknown as { semfaceViewer: { foregroundPixels(): number } }
        ).semfaceViewer.foregroundPixels() > 2000,
      undefined,
      { timeout: 30_000, polling: 200 },
    );
    const read = () =>
      page.evaluate(() => {
        const v = (window as unknown as { semfaceViewer: { state: PageState; renderer: string } })
          .semfaceViewer;
        return { drawn: v.state.drawn, stats: v.state.stats, renderer: v.renderer };
      });
    const first = await read();
    await page.waitForFunction(
      (n) => {
        const s = (window as unknown as { semfaceViewer: { state: PageState } }).semfaceViewer.state.stats;
        return s !== null && s.frames > n + 5;
      },
      first.stats?.frames ?? 0,
      { timeout: 30_000, polling: 200 },
    );
    const later = await read();
    expect(later.stats!.frames).toBeGreaterThan(first.stats?.frames ?? 0);
    expect(later.drawn).toBeGreaterThan(0);
    expect(later.stats!.bitrateKbps).toBeGreaterThan(0);
    expect(later.stats!.bitsPerFrame.last).toBeGreaterThan(0);
    expect(await page.textContent('#bitrate')).not.toBe('–');
    // The receiver heads run off the hot path: wait for their first results to reach the page.
    await page.waitForFunction(
      () => {
        const text = (id: string) => document.getElementById(id)?.textContent ?? '';
        return /^[a-z]+ \(/.test(text('expression')) && /person/.test(text('verification'));
      },
      undefined,
      { timeout: 30_000, polling: 200 },
    );
    const expression = (await page.textContent('#expression')) ?? '';
    expect(FER2013_LABELS).toContain(expression.split(' ')[0]);
    const verification = (await page.textContent('#verification')) ?? '';
    expect(verification).not.toMatch(/^n\/a/);
    expect(verification).toMatch(/^(same|different) person, distance \d+\.\d+, threshold \d+\.\d+/);
    mkdirSync(join(root, 'artifacts/test'), { recursive: true });
    await page.screenshot({ path: join(root, 'artifacts/test/demo.png') });
    const report = demo.report();
    expect(report.captureToDrawnMs.count).toBeGreaterThan(0);
    expect(report.heads.loaded).toBe(true);
    expect(Object.keys(report.heads.expressionCounts).every((l) => FER2013_LABELS.includes(l))).toBe(true);
    expect(report.heads.verify.comparisons).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    process.stdout.write(
      `demo page: renderer ${later.renderer}, ${later.drawn} drawn, ${later.stats!.frames} decoded; expression "${expression}", verification "${verification}"\n`,
    );
  });
});

describe('semface demo without head models', () => {
  it('runs and reports the head fields as n/a (no head models)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'semface-noheads-'));
    const demo = await startDemo({
      port: 0,
      codecModelsDir,
      headsModelsDir: empty,
      photoFps: 10,
      durationSeconds: 3,
    });
    try {
      await demo.done;
      const report = demo.report();
      expect(report.framesSent).toBeGreaterThan(0);
      expect(report.expression).toBe('n/a (no head models)');
      expect(report.verification).toBe('n/a (no head models)');
      expect(report.heads.loaded).toBe(false);
      expect(report.heads.reason).toMatch(/manifest/);
    } finally {
      await demo.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
