import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODELS_DIR } from '@semface/codec-core';
import { type Demo, startDemo } from '@semface/cli';
import { buildProceduralVrm } from '@semface/viewer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from '../demo/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const codecModelsDir = existsSync(join(DEFAULT_MODELS_DIR, 'manifest.json'))
  ? undefined
  : join(root, 'packages/codec-core/src/models/fixtures/tiny');
const bundle = join(root, 'packages/viewer/public/build/semface-vrm.js');
const artifacts = join(root, 'artifacts/test');

if (!hasChromium) process.stdout.write(`skipped: no browser at ${CHROMIUM}\n`);
if (hasChromium && !existsSync(bundle))
  process.stdout.write('skipped: VRM bundle not built (run pnpm build)\n');

interface VrmState {
  view: {
    label: string;
    driven: number;
    drawn: number;
    lastFrame: { vrm: { expressions: Record<string, number> } } | null;
  } | null;
  error: string | null;
}

const vrmState = (page: Page) =>
  page.evaluate(() => {
    const v = (window as unknown as { semfaceViewer: { vrm: VrmState } }).semfaceViewer.vrm;
    return {
      label: v.view?.label ?? null,
      driven: v.view?.driven ?? 0,
      drawn: v.view?.drawn ?? 0,
      error: v.error,
      expressions: v.view?.lastFrame?.vrm.expressions ?? null,
    };
  });

/** 64 x 64 grey thumbnail of the VRM canvas and its count of non-background pixels. */
const thumbnail = (page: Page) =>
  page.evaluate(() => {
    const src = document.getElementById('vrm') as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 64;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0, 64, 64);
    const px = g.getImageData(0, 0, 64, 64).data;
    const grey: number[] = [];
    let foreground = 0;
    for (let i = 0; i < px.length; i += 4) {
      grey.push((px[i]! + px[i + 1]! + px[i + 2]!) / 3);
      // Background is #0d0e11.
      if (Math.abs(px[i]! - 13) + Math.abs(px[i + 1]! - 14) + Math.abs(px[i + 2]! - 17) > 30) foreground++;
    }
    return { grey, foreground };
  });

async function waitDriven(page: Page, more: number): Promise<void> {
  const start = (await vrmState(page)).driven;
  await page.waitForFunction(
    (n) =>
      ((window as unknown as { semfaceViewer: { vrm: VrmState } }).semfaceViewer.vrm.view?.driven ?? 0) > n,
    start + more,
    { timeout: 60_000, polling: 100 },
  );
  // One more animation frame so the last pose is on the canvas.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

function changedPixels(a: number[], b: number[]): number {
  return a.filter((v, i) => Math.abs(v - b[i]!) > 6).length;
}

async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate(
    ({ name, b64 }) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'application/octet-stream' }));
      document
        .getElementById('vrm-panel')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, b64: Buffer.from(bytes).toString('base64') },
  );
}

describe.skipIf(!hasChromium || !existsSync(bundle))(
  'VRM avatar on the demo page (headless chromium)',
  () => {
    let demo: Demo;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;

    beforeAll(async () => {
      demo = await startDemo({ port: 0, codecModelsDir, photoFps: 10, slideSeconds: 1.5 });
      chromium = await launchChromium();
      mkdirSync(artifacts, { recursive: true });
    });

    afterAll(async () => {
      await chromium?.close();
      await demo?.close();
    });

    it('draws the built-in VRM, moves it with the stream, and takes a dropped .vrm file', async () => {
      const page = await chromium.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${demo.url}?decode=browser`);
      await waitDriven(page, 5);
      const s0 = await vrmState(page);
      expect(s0.error).toBeNull();
      expect(s0.label).toMatch(/built-in/);
      const first = await thumbnail(page);
      await page.locator('#vrm').screenshot({ path: join(artifacts, 'vrm-avatar-1.png') });
      // The avatar is drawn: a head-sized share of the canvas is not background.
      expect(first.foreground).toBeGreaterThan(64 * 64 * 0.1);

      // It moves: frames later the pixels differ (photos change, head turns, expressions change).
      let moved = 0;
      for (let i = 0; i < 10 && moved < 20; i++) {
        await waitDriven(page, 8);
        moved = changedPixels(first.grey, (await thumbnail(page)).grey);
      }
      await page.locator('#vrm').screenshot({ path: join(artifacts, 'vrm-avatar-2.png') });
      expect(moved).toBeGreaterThanOrEqual(20);
      const s1 = await vrmState(page);
      expect(s1.drawn).toBeGreaterThan(s0.drawn);
      for (const w of Object.values(s1.expressions!)) {
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThanOrEqual(1);
      }

      // A file that is not a VRM is refused; the avatar keeps going.
      await dropFile(page, 'broken.vrm', new Uint8Array([1, 2, 3, 4]));
      await page.waitForFunction(
        () => (window as unknown as { semfaceViewer: { vrm: VrmState } }).semfaceViewer.vrm.error !== null,
        undefined,
        { timeout: 30_000 },
      );
      expect(await page.textContent('#vrm-label')).toMatch(/could not load broken\.vrm/);

      // A real VRM file dropped on the panel replaces the avatar and is driven too.
      await dropFile(page, 'dropped.vrm', buildProceduralVrm());
      await page.waitForFunction(
        () =>
          (window as unknown as { semfaceViewer: { vrm: VrmState } }).semfaceViewer.vrm.view?.label ===
          'dropped.vrm',
        undefined,
        { timeout: 30_000 },
      );
      await waitDriven(page, 5);
      const before = await thumbnail(page);
      let movedAfterDrop = 0;
      for (let i = 0; i < 10 && movedAfterDrop < 20; i++) {
        await waitDriven(page, 8);
        movedAfterDrop = changedPixels(before.grey, (await thumbnail(page)).grey);
      }
      await page.locator('#vrm').screenshot({ path: join(artifacts, 'vrm-avatar-dropped.png') });
      expect(before.foreground).toBeGreaterThan(64 * 64 * 0.1);
      expect(movedAfterDrop).toBeGreaterThanOrEqual(20);
      expect(errors).toEqual([]);
      writeFileSync(
        join(artifacts, 'vrm-avatar.json'),
        `${JSON.stringify({ changedPixels: moved, changedAfterDrop: movedAfterDrop, state: await vrmState(page) }, null, 1)}\n`,
      );
    });
  },
);
