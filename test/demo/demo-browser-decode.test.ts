import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODELS_DIR } from '@semface/codec-core';
import { type Demo, startDemo } from '@semface/cli';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const codecModelsDir = existsSync(join(DEFAULT_MODELS_DIR, 'manifest.json'))
  ? undefined
  : join(root, 'packages/codec-core/src/models/fixtures/tiny');
const bundle = join(root, 'packages/viewer/public/build/semface-browser.js');
const FFMPEG = '/usr/bin/ffmpeg';
const ms = (l: { medianMs: number | null; p99Ms: number | null }) =>
  `median ${l.medianMs?.toFixed(2)} / p99 ${l.p99Ms?.toFixed(2)} ms`;
const FER2013_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

if (!hasChromium) process.stdout.write(`skipped: no browser at ${CHROMIUM}\n`);
if (hasChromium && !existsSync(bundle))
  process.stdout.write('skipped: page decoder not built (run pnpm build)\n');
if (hasChromium && !existsSync(FFMPEG))
  process.stdout.write(`skipped (camera test): no ffmpeg at ${FFMPEG}\n`);

interface BrowserState {
  mode: string;
  error: string | null;
  decoded: number;
  heads: number;
  expression: { label: string; probability: number } | null;
  verification: { same: boolean; distance: number } | null;
}

const browserState = (page: Page) =>
  page.evaluate(() => {
    const b = (window as unknown as { semfaceViewer: { browser: BrowserState } }).semfaceViewer.browser;
    return {
      mode: b.mode,
      error: b.error,
      decoded: b.decoded,
      heads: b.heads,
      expression: b.expression,
      verification: b.verification,
    };
  });

async function waitForAvatar(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (
        window as unknown as { semfaceViewer: { foregroundPixels(): number } }
      ).semfaceViewer.foregroundPixels() > 2000,
    undefined,
    { timeout: 60_000, polling: 200 },
  );
}

async function waitForDecoded(page: Page, more: number): Promise<void> {
  const start = (await browserState(page)).decoded;
  await page.waitForFunction(
    (n) =>
      (window as unknown as { semfaceViewer: { browser: BrowserState } }).semfaceViewer.browser.decoded > n,
    start + more,
    { timeout: 60_000, polling: 200 },
  );
}

/**
 * Camera -> drawn samples the camera test waits for. Raise it to measure the latency over more frames:
 * `SEMFACE_CAMERA_SAMPLES=200 pnpm exec vitest run test/demo/demo-browser-decode.test.ts`.
 */
const CAMERA_SAMPLES = Math.max(6, Number(process.env.SEMFACE_CAMERA_SAMPLES ?? 6) || 6);

/** A few seconds of slow zoom/pan over a demo photo, as a y4m file chromium plays as its fake camera. */
function fakeCameraVideo(dir: string): string {
  const faceApi = dirname(
    createRequire(join(root, 'packages/cli/package.json')).resolve('@vladmandic/face-api/package.json'),
  );
  const photo = join(faceApi, 'demo', 'sample1.jpg');
  const out = join(dir, 'camera.y4m');
  execFileSync(FFMPEG, [
    '-v',
    'error',
    '-y',
    '-loop',
    '1',
    '-i',
    photo,
    '-vf',
    "scale=-2:720,crop=960:720,zoompan=z='1.15+0.1*sin(on/12)':x='iw/2-iw/zoom/2+20*sin(on/9)':y='ih/2-ih/zoom/2':d=1:s=640x480:fps=15",
    '-t',
    '4',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

describe.skipIf(!hasChromium || !existsSync(bundle))(
  'demo page decoding in the browser (headless chromium)',
  () => {
    let demo: Demo;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;

    beforeAll(async () => {
      demo = await startDemo({ port: 0, codecModelsDir, photoFps: 10, slideSeconds: 1.5 });
      chromium = await launchChromium();
    });

    afterAll(async () => {
      await chromium?.close();
      await demo?.close();
    });

    it('subscribes, decodes with onnxruntime-web, runs the heads and draws its own avatar', async () => {
      const page = await chromium.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${demo.url}?decode=browser`);
      await page.waitForFunction(
        () => {
          const b = (window as unknown as { semfaceViewer: { browser: BrowserState } }).semfaceViewer.browser;
          return b.mode === 'browser' || b.error !== null;
        },
        undefined,
        { timeout: 60_000, polling: 200 },
      );
      expect((await browserState(page)).error).toBeNull();
      await waitForAvatar(page);
      await waitForDecoded(page, 10);
      await page.waitForFunction(
        () => {
          const b = (window as unknown as { semfaceViewer: { browser: BrowserState } }).semfaceViewer.browser;
          return b.heads > 3 && b.expression !== null && b.verification !== null;
        },
        undefined,
        { timeout: 60_000, polling: 200 },
      );
      const s = await browserState(page);
      expect(s.mode).toBe('browser');
      expect(FER2013_LABELS).toContain(s.expression!.label);
      expect(s.expression!.probability).toBeGreaterThan(0);
      expect(s.verification!.distance).toBeGreaterThanOrEqual(0);
      expect(await page.textContent('#decoder')).toMatch(/^this page \(onnxruntime-web wasm/);
      expect(await page.textContent('#expression')).toMatch(/^[a-z]+ \(\d\.\d\d\) · page$/);
      expect(await page.textContent('#verification')).toMatch(/^(same|different) person, distance \d+\.\d+/);
      // The page's numbers move on.
      const before = await page.textContent('#frames-page');
      await waitForDecoded(page, 5);
      expect(await page.textContent('#frames-page')).not.toBe(before);
      expect(await page.textContent('#page-decode')).toMatch(/^\d+\.\d ms decode, \d+\.\d ms mesh$/);
      mkdirSync(join(root, 'artifacts/test'), { recursive: true });
      await page.screenshot({ path: join(root, 'artifacts/test/demo-browser-decode.png') });
      // Every 10th descriptor goes back to the server, which compares it with its own decode of that seq.
      await expect
        .poll(() => demo.report().browser.agreement.compared, { timeout: 30_000, interval: 250 })
        .toBeGreaterThan(1);
      const report = demo.report().browser;
      expect(report.available).toBe(true);
      expect(report.agreement.maxAbsDiff).toBeLessThan(1e-3);
      expect(report.frames).toBeGreaterThan(10);
      expect(report.decodeMs.count).toBeGreaterThan(10);
      expect(report.headsMs.count).toBeGreaterThan(0);
      expect(Object.keys(report.expressionCounts).every((l) => FER2013_LABELS.includes(l))).toBe(true);
      // A page decoding itself reports capture -> drawn too (it used to read '-').
      expect(demo.report().captureToDrawnMs.count).toBeGreaterThan(0);
      await expect.poll(() => page.textContent('#lat-drawn'), { timeout: 5_000 }).toMatch(/^\d+\.\d$/);
      // The page shows what the wire carries beside the codec payload.
      await expect.poll(() => page.textContent('#wire-down'), { timeout: 5_000 }).toMatch(/^\d+\.\d\d$/);
      expect(demo.report().wireKbps.down).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      process.stdout.write(
        `browser decode: ${report.frames} frames; decode ${ms(report.decodeMs)}, heads ${ms(report.headsMs)}, decode+heads ${ms(report.decodeAndHeadsMs)}, mesh ${ms(report.meshMs)}; max |page - server| ${report.agreement.maxAbsDiff} over ${report.agreement.compared} frames\n`,
      );
      await page.close();
    });

    it('keeps the server-decode mode (?decode=server)', async () => {
      const page = await chromium.context.newPage();
      await page.goto(`${demo.url}?decode=server`);
      await waitForAvatar(page);
      expect(await page.textContent('#decoder')).toBe('server (as requested)');
      expect((await browserState(page)).decoded).toBe(0);
      await page.close();
    });
  },
);

describe.skipIf(!hasChromium || !existsSync(bundle) || !existsSync(FFMPEG))(
  'demo page with the visitor camera (fake capture device, headless chromium)',
  () => {
    let demo: Demo;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'semface-camera-'));
      const video = fakeCameraVideo(dir);
      demo = await startDemo({ port: 0, codecModelsDir, photoFps: 10, slideSeconds: 1.5 });
      chromium = await launchChromium([
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ]);
    });

    afterAll(async () => {
      await chromium?.close();
      await demo?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(
      'streams camera frames, extracts the face and draws it from the page decode',
      async () => {
        const page = await chromium.context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${demo.url}?decode=browser`);
        await page.waitForFunction(
          () =>
            (window as unknown as { semfaceViewer: { browser: BrowserState } }).semfaceViewer.browser.mode ===
            'browser',
          undefined,
          { timeout: 60_000, polling: 200 },
        );
        await page.click('#camera-toggle');
        await expect.poll(() => page.textContent('#camera-toggle'), { timeout: 10_000 }).toBe('Stop camera');
        // Frames arrive at the server and the extractor finds the face in them.
        await expect.poll(() => demo.report().input, { timeout: 30_000, interval: 250 }).toBe('camera');
        const sentBefore = demo.report().framesSent;
        await expect
          .poll(() => demo.report().browser.cameraToDrawnMs.count, {
            timeout: 60_000 + 500 * CAMERA_SAMPLES,
            interval: 250,
          })
          .toBeGreaterThanOrEqual(CAMERA_SAMPLES);
        const report = demo.report();
        expect(report.framesSent).toBeGreaterThan(sentBefore);
        expect(report.cameraToDrawnMs.count).toBeGreaterThan(5);
        await waitForAvatar(page);
        expect(await page.textContent('#lat-camera-page')).toMatch(/^\d+\.\d$/);
        expect(await page.textContent('#input-label')).toBe('your camera');
        mkdirSync(join(root, 'artifacts/test'), { recursive: true });
        await page.screenshot({ path: join(root, 'artifacts/test/demo-camera.png') });
        expect(errors).toEqual([]);
        const c = report.browser.cameraToDrawnMs;
        process.stdout.write(
          `camera -> drawn (page decode): median ${c.medianMs?.toFixed(1)} ms, p99 ${c.p99Ms?.toFixed(1)} ms over ${c.count} frames; sent ${report.framesSent}, no face ${report.framesWithoutFace}\n`,
        );
        await page.close();
      },
      120_000 + 500 * CAMERA_SAMPLES,
    );
  },
);
