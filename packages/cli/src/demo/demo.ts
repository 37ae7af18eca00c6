import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODELS_DIR, SemfaceCodec, type TaskLabel } from '@semface/codec-core';
import {
  DEFAULT_FACE_MODEL_DIR,
  FaceDescriptorExtractor,
  FaceFitter,
  FaceModelNotFoundError,
} from '@semface/extractor';
import { DEFAULT_HEADS_DIR, connect } from '@semface/sdk';
import { type RelayServer, createRelayServer, mintToken } from '@semface/server';
import {
  BinaryKind,
  DemoModelsMissingError,
  PUBLIC_DIR,
  encodeBinaryMessage,
  fallbackFaceModel,
  loadFaceTopology,
  onnxWebDist,
} from '@semface/viewer';
import { type DemoOptions, type ResolvedDemoOptions, resolveDemoOptions } from './demo-options.js';
import { AvatarReceiver } from './pipeline/avatar-receiver.js';
import { nowMs } from './pipeline/clock.js';
import { FaceSender } from './pipeline/face-sender.js';
import { FaceUnderstanding, loadReceiverHeads } from './pipeline/face-understanding.js';
import { CameraSource } from './sources/camera-source.js';
import { openInput } from './sources/open-input.js';
import { rgbaFromImageBytes } from './sources/preview-jpeg.js';
import type { FrameSource, SourceFrame } from './sources/source-frame.js';
import { type BrowserDecodeSummary, BrowserDecodeStats } from './stats/browser-decode-stats.js';
import { type DemoStats, DemoStatsBoard } from './stats/demo-stats.js';
import { ViewerServer } from './viewer-server.js';

/** What {@link Demo.report} returns (and `semface demo --report` writes). */
export interface DemoReport extends DemoStats {
  /** The input option (path, or `demo photos`); `input` holds the last label played. */
  readonly source: string;
  readonly durationSeconds: number;
  /** Codec model id (intra), or the temporal stream's coding and models. */
  readonly codecModelId: string;
  /** Stream coding used. */
  readonly coding: ResolvedDemoOptions['coding'];
  readonly faceModel: 'trained' | 'fallback';
  /** What pages decoding themselves (`?decode=browser`) reported. */
  readonly browser: BrowserDecodeSummary;
}

/** Bundle of the page's own decoder (built by scripts/bundle-browser.mjs). */
const BROWSER_BUNDLE = join(PUBLIC_DIR, 'build', 'semface-browser.js');

/** Why the page cannot decode itself, or undefined when it can. */
function browserDecodeUnavailable(trained: boolean, ortDist: string | undefined): string | undefined {
  if (!existsSync(BROWSER_BUNDLE)) return 'page decoder not built (run pnpm build)';
  if (!ortDist) return 'onnxruntime-web is not installed';
  if (!trained) return 'no trained face model (the page rebuilds the mesh from it)';
  return undefined;
}

/** A running demo. */
export interface Demo {
  /** URL of the viewer page. */
  readonly url: string;
  /** WebSocket URL of the in-process relay. */
  readonly relayUrl: string;
  readonly options: ResolvedDemoOptions;
  /** Resolves when the demo stopped (after `durationSeconds`, or {@link close}). */
  readonly done: Promise<void>;
  /** Numbers so far. */
  report(): DemoReport;
  /** Stops everything; idempotent. */
  close(): Promise<void>;
  /** Progress lines (input changes, errors) for the CLI. */
  onLog(listener: (line: string) => void): void;
}

async function loadFitter(dir: string | undefined): Promise<{ fitter: FaceFitter; trained: boolean }> {
  try {
    return { fitter: await FaceFitter.load(dir), trained: true };
  } catch (err) {
    if (!(err instanceof FaceModelNotFoundError) || dir !== undefined) throw err;
    return { fitter: new FaceFitter(fallbackFaceModel(await loadFaceTopology())), trained: false };
  }
}

async function loadCodec(dir: string | undefined): Promise<SemfaceCodec> {
  const modelsDir = dir ?? DEFAULT_MODELS_DIR;
  if (!existsSync(join(modelsDir, 'manifest.json'))) {
    throw new DemoModelsMissingError(
      `no codec models in ${modelsDir} (manifest.json missing); train them (training/codec) or pass a models folder`,
    );
  }
  return SemfaceCodec.load({ modelsDir });
}

/** What the page and the report show as the codec: the model, or the temporal stream's models and target. */
function describeCodec(codec: SemfaceCodec, o: ResolvedDemoOptions): string {
  if (o.coding === 'intra') {
    return codec.paramsFor({ profile: 'full', coder: o.coder, rateIndex: o.rateIndex }).modelId;
  }
  const has = (profile: 'expression' | 'identity') => codec.store.models.some((m) => m.profile === profile);
  if (!has('expression') || !has('identity')) {
    // The SDK falls back to intra frames for such a codec.
    return `${codec.paramsFor({ profile: 'full', coder: o.coder, rateIndex: o.rateIndex }).modelId} (intra: no temporal models)`;
  }
  const target = o.targetKbps > 0 ? `target ${o.targetKbps} kbit/s` : 'no rate control';
  const models = (p: 'expression' | 'identity') =>
    codec.store.models
      .filter((m) => m.profile === p)
      .map((m) => m.id)
      .join('/');
  return `temporal, ${target} (expression ${models('expression')}, identity ${models('identity')})`;
}

/**
 * Starts the live demo: an in-process relay, a sender streaming the input through the extractor
 * and codec, a receiver decoding it into an avatar, and the viewer page that shows both.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const o = resolveDemoOptions(options);
  const listeners: ((line: string) => void)[] = [];
  const log = (line: string) => {
    for (const l of listeners) l(line);
  };
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
  };
  try {
    const codec = await loadCodec(o.codecModelsDir);
    const { fitter, trained } = await loadFitter(o.faceModelDir);
    const topology = await loadFaceTopology();
    // The expression refiner was trained on the trained face model's descriptors: off for the fallback.
    const extractor = await FaceDescriptorExtractor.create({
      fitter,
      refine: trained,
      symmetric: o.symmetric,
    });
    cleanups.push(() => extractor.dispose());
    const input = await openInput(o.input, o);
    cleanups.push(() => input.close());
    const camera = new CameraSource();

    const secret = randomBytes(32).toString('hex');
    const relay: RelayServer = createRelayServer({
      tokenSecret: secret,
      host: o.host,
      port: 0,
      logLevel: 'warn',
    });
    const relayAddr = await relay.start();
    cleanups.push(() => relay.close());
    const token = (identity: string, canPublish = true) =>
      mintToken(secret, { identity, room: o.room, ttlSeconds: 24 * 3600, canPublish });
    const join = async (identity: string, extra: { taskLabel?: TaskLabel } = {}) => {
      const room = await connect(relayAddr.url, {
        ...extra,
        token: await token(identity),
        room: o.room,
        codec,
        coding: o.coding,
        targetKbps: o.targetKbps,
        keyFrameIntervalSeconds: o.keyFrameIntervalSeconds,
        frameRate: input.fps,
        coder: o.coder,
        rateIndex: o.rateIndex,
        keyFrameInterval: o.keyFrameInterval,
      });
      cleanups.push(async () => room.dispose());
      return room;
    };
    const headsLoad = await loadReceiverHeads(o.headsModelsDir);
    if (!headsLoad.heads)
      log(`receiver heads: none (${headsLoad.reason}); expression and verification show n/a`);
    const receiverRoom = await join('demo-receiver');
    const receiver = new AvatarReceiver(receiverRoom, fitter);
    const understanding = headsLoad.heads ? new FaceUnderstanding(receiverRoom, headsLoad.heads) : undefined;
    if (understanding) cleanups.push(() => understanding.close());
    // The sender keeps the receiver's expression label through the stream (docs/streaming.md).
    const heads = headsLoad.heads;
    const senderRoom = await join(
      'demo-sender',
      heads && o.coding === 'temporal' ? { taskLabel: (d) => heads.expressionLabel(d) } : {},
    );
    const sender = new FaceSender(extractor, senderRoom);
    const codecModelId = describeCodec(codec, o);
    const board = new DemoStatsBoard();
    board.headsLoaded(understanding !== undefined, headsLoad.reason);
    understanding?.on('result', (r) => board.understood(r));
    understanding?.on('headError', (err) => log(`receiver head error: ${err.message}`));
    const pages = new ViewerServer();
    const ortDist = onnxWebDist();
    const unavailable = browserDecodeUnavailable(trained, ortDist);
    const browser = new BrowserDecodeStats(unavailable === undefined, unavailable);
    const codecDir = o.codecModelsDir ?? DEFAULT_MODELS_DIR;
    if (!unavailable) {
      pages.mount('/ort/', ortDist!);
      pages.mount('/models/codec/', codecDir);
      pages.mount('/models/face/', o.faceModelDir ?? DEFAULT_FACE_MODEL_DIR);
      if (headsLoad.heads) pages.mount('/models/heads/', o.headsModelsDir ?? DEFAULT_HEADS_DIR);
    }
    const url = await pages.listen(o.port, o.host);
    cleanups.push(() => pages.close());

    const triangles =
      fitter.model.vertexCount === topology.vertexCount ? topology.triangles : fitter.model.triangles;
    const helloBase = {
      type: 'hello',
      vertexCount: fitter.model.vertexCount,
      triangles: Array.from(triangles),
      codecModelId: codecModelId,
      faceModel: trained ? 'trained' : 'fallback',
      input: o.input ?? 'demo photos (@vladmandic/face-api)',
    };
    let pageCount = 0;
    pages.on('connect', (send) => {
      if (unavailable) {
        send(JSON.stringify({ ...helloBase, browserDecode: { available: false, reason: unavailable } }));
        return;
      }
      // Each page gets its own subscribe-only token for the room (its own relay identity).
      void token(`demo-page-${++pageCount}`, false).then((t) =>
        send(
          JSON.stringify({
            ...helloBase,
            browserDecode: {
              available: true,
              relayPort: relayAddr.port,
              token: t,
              room: o.room,
              codecModelsUrl: '/models/codec/',
              ...(headsLoad.heads ? { headsModelsUrl: '/models/heads/' } : {}),
              faceModelUrl: '/models/face/',
              wasmUrl: '/ort/',
            },
          }),
        ),
      );
    });
    // Server decodes by seq, to check what pages decode themselves against.
    const serverDecoded = new Map<number, Float32Array>();
    const cameraFrameIds = new Map<number, number>();
    const sentToPage = new Map<number, { atMs: number; captureTimeMs: number }>();
    pages.on('json', (m) => {
      if (m.type === 'drawn' && m.decoder === 'browser' && typeof m.seq === 'number') {
        browser.drawn(m.seq, Number(m.decodeMs), Number(m.meshMs));
        // A page that decodes itself gets no mesh from here: its own capture -> drawn is the number.
        if (typeof m.captureToDrawnMs === 'number' && Number.isFinite(m.captureToDrawnMs)) {
          board.drawn(m.captureToDrawnMs);
        }
      } else if (m.type === 'browserCamera' && typeof m.e2eMs === 'number') {
        browser.cameraDrawn(m.e2eMs);
        board.cameraDrawn(m.e2eMs);
      } else if (m.type === 'browserHeads' && typeof m.seq === 'number') {
        const label = typeof m.label === 'string' ? m.label : undefined;
        browser.heads(
          m.seq,
          Number(m.headsMs),
          label,
          typeof m.decodeMs === 'number' ? m.decodeMs : undefined,
        );
      } else if (m.type === 'browserDescriptor' && typeof m.seq === 'number' && Array.isArray(m.descriptor)) {
        const server = serverDecoded.get(m.seq);
        if (server) browser.compare(m.descriptor as number[], server);
      } else if (m.type === 'drawn' && typeof m.seq === 'number') {
        const s = sentToPage.get(m.seq);
        const delay = typeof m.delayMs === 'number' ? m.delayMs : Number.NaN;
        if (s) board.drawn(s.atMs - s.captureTimeMs + delay);
        if (typeof m.e2eMs === 'number') board.cameraDrawn(m.e2eMs);
      } else if (m.type === 'camera') {
        if (m.on === true) log('camera: on (frames from the page)');
        else {
          camera.stop();
          log('camera: off');
        }
        cameraOn = m.on === true;
      }
    });
    let cameraOn = false;
    pages.on('binary', (m) => {
      if (m.kind !== BinaryKind.cameraFrame || !cameraOn) return;
      const id = typeof m.header.id === 'number' ? m.header.id : -1;
      const arrived = nowMs();
      void rgbaFromImageBytes(m.payload).then(
        (frame) => camera.push(frame, id, arrived),
        () => {},
      );
    });

    sender.on('step', (s) => {
      board.sent(s);
      if (s.seq !== undefined && s.cameraFrameId !== undefined) {
        cameraFrameIds.set(s.seq, s.cameraFrameId);
        cameraFrameIds.delete(s.seq - 1000);
        // Pages decoding themselves learn which camera frame a seq carries from this.
        pages.broadcastJson({ type: 'sent', seq: s.seq, cameraFrameId: s.cameraFrameId });
      }
    });
    receiver.on('avatar', (a) => {
      board.decoded(a);
      serverDecoded.set(a.seq, a.descriptor);
      serverDecoded.delete(a.seq - 600);
      const header: Record<string, unknown> = {
        seq: a.seq,
        keyFrame: a.keyFrame,
        bytes: a.bytes,
        vertexCount: a.positions.length / 3,
        frameWidth: 512,
        frameHeight: 512,
      };
      const cam = cameraFrameIds.get(a.seq);
      if (cam !== undefined) header.cameraFrameId = cam;
      const positions = new Uint8Array(a.positions.buffer, a.positions.byteOffset, a.positions.byteLength);
      const atMs = nowMs();
      sentToPage.set(a.seq, { atMs, captureTimeMs: a.captureTimeMs });
      sentToPage.delete(a.seq - 1000);
      pages.broadcastBinary(encodeBinaryMessage(BinaryKind.avatarMesh, header, positions, a.colors));
    });
    receiver.on('decodeError', (err) => log(`decode error: ${err.message}`));
    const statsTimer = setInterval(() => {
      const up = senderRoom.wireStats;
      const down = receiverRoom.wireStats;
      board.wireSample(up.bytesSent, down.bytesReceived, down.protocolVersion);
      pages.broadcastJson({ type: 'stats', ...board.snapshot() });
    }, 250);
    cleanups.push(async () => clearInterval(statsTimer));

    const started = nowMs();
    let stopping = false;
    let lastLabel = '';
    const loop = (async () => {
      while (!stopping) {
        const source: FrameSource = cameraOn ? camera : input;
        let f: SourceFrame | undefined;
        try {
          f = await source.next();
        } catch (err) {
          log(`input error: ${(err as Error).message}`);
          break;
        }
        if (!f || stopping) continue;
        if (f.label !== lastLabel && f.still) log(`input: ${f.label}`);
        lastLabel = f.label;
        if (f.preview) {
          pages.broadcastBinary(
            encodeBinaryMessage(
              BinaryKind.inputFrame,
              { label: f.label, captureTimeMs: f.captureTimeMs },
              f.preview,
            ),
          );
        }
        try {
          await sender.send(f);
        } catch (err) {
          log(`sender error: ${(err as Error).message}`);
        }
      }
    })();

    let closing: Promise<void> | undefined;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        clearTimeout(timer);
        stopping = true;
        camera.stop();
        await loop;
        await receiver.idle();
        await cleanup();
        resolveDone();
      })();
      return closing;
    };
    if (o.durationSeconds !== undefined) timer = setTimeout(() => void close(), o.durationSeconds * 1000);
    // An input that fails for good ends the demo.
    void loop.then(() => close());
    return {
      url,
      relayUrl: relayAddr.url,
      options: o,
      done,
      report: () => ({
        source: o.input ?? 'demo photos',
        durationSeconds: (nowMs() - started) / 1000,
        codecModelId: codecModelId,
        coding: o.coding,
        faceModel: trained ? 'trained' : 'fallback',
        ...board.snapshot(),
        browser: browser.summary(),
      }),
      close,
      onLog: (l) => listeners.push(l),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
