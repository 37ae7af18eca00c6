import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type DemoReport, startDemo } from '../demo/demo.js';
import { DEMO_DEFAULTS } from '../demo/demo-options.js';
import type { Command } from '../command.js';

const USAGE = `Usage: semface demo [options]

Live demo in one process: starts the relay, streams the input through the extractor and the codec
into it, decodes the stream into a 3D avatar and serves a page showing the input, the avatar and
the numbers (bit rate, bits per frame, latency). The page can also use your own camera.

Options:
  --input PATH          video, image or folder to stream, looped (default: the demo photos of
                        @vladmandic/face-api as a slideshow with synthetic head motion)
  --port N              viewer page port, 0 = any (default ${DEMO_DEFAULTS.port})
  --host H              interface for the page and the relay (default ${DEMO_DEFAULTS.host})
  --duration S          stop after S seconds (default: run until Ctrl-C)
  --report FILE         write the numbers (bit rate, latency median/p99, ...) as JSON on exit
  --no-open             do not open a browser
  --codec-models DIR    codec model folder (default: models shipped with @semface/codec-core)
  --face-model DIR      face model folder (default: the extractor's; a mean-shape stand-in if absent)
  --heads-models DIR    receiver head folder (expression, verification; default: shipped with
                        @semface/sdk; without them the page shows "n/a (no head models)")
  --coding C            temporal | intra (default ${DEMO_DEFAULTS.coding}): layered temporal stream,
                        rate-controlled, or every frame coded on its own (the old coding)
  --target-kbps K       temporal: rate-control target, kbit/s (default ${DEMO_DEFAULTS.targetKbps})
  --key-seconds S       temporal: seconds between key frames (default ${DEMO_DEFAULTS.keyFrameIntervalSeconds})
  --coder C             intra: rans | ppm (default ${DEMO_DEFAULTS.coder})
  --rate-index N        intra: codec rate index (default ${DEMO_DEFAULTS.rateIndex})
  --slide-seconds S     seconds per photo in a slideshow (default ${DEMO_DEFAULTS.slideSeconds})
  --symmetric           mirror-symmetric extraction (avatar Left/Right swap exactly with a mirrored
                        camera; twice the extraction cost)
See docs/demo.md.`;

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new TypeError(`--${name} must be a number`);
  return n;
}

function openBrowser(url: string): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
}

const ms = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} ms`);

function summary(r: DemoReport): string {
  return [
    `frames decoded ${r.frames} (sent ${r.framesSent}, no face ${r.framesWithoutFace}), ${r.durationSeconds.toFixed(1)} s`,
    `${r.coding} coding: bit rate ${r.bitrateKbps.toFixed(2)} kbit/s, bits/frame mean ${r.bitsPerFrame.mean?.toFixed(0) ?? 'n/a'}`,
    `wire (relay messages, protocol v${r.wireProtocol}): ${r.wireKbps.down.toFixed(2)} kbit/s to the receiver, ${r.wireKbps.up.toFixed(2)} kbit/s from the sender`,
    `capture -> decoded: median ${ms(r.captureToDecodedMs.medianMs)}, p99 ${ms(r.captureToDecodedMs.p99Ms)}`,
    `capture -> drawn:   median ${ms(r.captureToDrawnMs.medianMs)}, p99 ${ms(r.captureToDrawnMs.p99Ms)} (${r.captureToDrawnMs.count} frames)`,
    `camera -> drawn:    median ${ms(r.cameraToDrawnMs.medianMs)}, p99 ${ms(r.cameraToDrawnMs.p99Ms)} (${r.cameraToDrawnMs.count} frames)`,
    heads(r),
  ].join('\n');
}

function heads(r: DemoReport): string {
  const h = r.heads;
  if (!h.loaded) return `receiver heads: n/a (no head models: ${h.reason ?? 'not loaded'})`;
  const labels = Object.entries(h.expressionCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  const v = h.verify;
  return [
    `receiver heads: ${h.frames} frames; expressions ${labels || 'none'}`,
    `verification vs first face: ${v.same} same, ${v.different} different (mean distance ${v.meanDistance?.toFixed(3) ?? 'n/a'}, threshold ${v.threshold?.toFixed(3) ?? 'n/a'})`,
  ].join('\n');
}

/** `semface demo`: the live demo (relay + sender + receiver + viewer page). */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'live demo: stream a video/photos/camera through codec and relay to a 3D avatar page',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        input: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        duration: { type: 'string' },
        report: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        'codec-models': { type: 'string' },
        'face-model': { type: 'string' },
        'heads-models': { type: 'string' },
        coding: { type: 'string' },
        'target-kbps': { type: 'string' },
        'key-seconds': { type: 'string' },
        coder: { type: 'string' },
        'rate-index': { type: 'string' },
        'slide-seconds': { type: 'string' },
        symmetric: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const coder = values.coder;
    if (coder !== undefined && coder !== 'rans' && coder !== 'ppm') {
      throw new RangeError('--coder must be rans or ppm');
    }
    const coding = values.coding;
    if (coding !== undefined && coding !== 'temporal' && coding !== 'intra') {
      throw new RangeError('--coding must be temporal or intra');
    }
    const demo = await startDemo({
      input: values.input,
      port: numberOption('port', values.port),
      host: values.host,
      durationSeconds: numberOption('duration', values.duration),
      codecModelsDir: values['codec-models'],
      faceModelDir: values['face-model'],
      headsModelsDir: values['heads-models'],
      coding,
      targetKbps: numberOption('target-kbps', values['target-kbps']),
      keyFrameIntervalSeconds: numberOption('key-seconds', values['key-seconds']),
      coder,
      rateIndex: numberOption('rate-index', values['rate-index']),
      slideSeconds: numberOption('slide-seconds', values['slide-seconds']),
      symmetric: values.symmetric,
    });
    demo.onLog((line) => process.stdout.write(`${line}\n`));
    const r0 = demo.report();
    process.stdout.write(
      `semface demo: open ${demo.url}  (relay ${demo.relayUrl}; codec ${r0.codecModelId}, face model ${r0.faceModel})\n`,
    );
    if (!values['no-open']) openBrowser(demo.url);
    const stop = () => void demo.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await demo.done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    const report = demo.report();
    process.stdout.write(`${summary(report)}\n`);
    if (values.report) {
      await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`report written to ${values.report}\n`);
    }
    return 0;
  },
};
