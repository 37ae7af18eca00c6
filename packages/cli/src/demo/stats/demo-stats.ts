import type { AvatarFrame } from '../pipeline/avatar-receiver.js';
import { nowMs } from '../pipeline/clock.js';
import type { UnderstandingResult } from '../pipeline/face-understanding.js';
import type { SenderStep } from '../pipeline/face-sender.js';
import { type LatencySummary, LatencyRecorder } from './latency-recorder.js';
import { RateMeter } from './rate-meter.js';

/** Live numbers of the demo (also the body of the `--report` file). */
export interface DemoStats {
  /** Frames the receiver decoded. */
  readonly frames: number;
  /** Frames the sender published. */
  readonly framesSent: number;
  /** Source frames with no face found. */
  readonly framesWithoutFace: number;
  readonly keyFrames: number;
  /** Coded bit rate over the last 2 s at the receiver, kbit/s (codec packets, no relay framing). */
  readonly bitrateKbps: number;
  /**
   * What the network carries over the last 2 s, kbit/s: WebSocket messages sender -> relay (`up`)
   * and relay -> receiver (`down`): codec payload plus relay framing, WebSocket and TCP/IP headers
   * not included (`pnpm bench:wire` counts those).
   */
  readonly wireKbps: { readonly up: number; readonly down: number };
  /** Relay protocol version of the receiver's connection (2: compact frames). */
  readonly wireProtocol: number;
  /** Bits of the last decoded frame, and the mean over all. */
  readonly bitsPerFrame: { readonly last: number | null; readonly mean: number | null };
  /** Extractor time per frame (track/detect + fit), ms. */
  readonly extractMs: LatencySummary;
  /** Capture -> descriptor decoded at the receiver, ms. */
  readonly captureToDecodedMs: LatencySummary;
  /** Capture -> avatar drawn in the page (server time to page + page's own draw delay), ms. */
  readonly captureToDrawnMs: LatencySummary;
  /** Camera frame grabbed in the page -> its avatar drawn there (page clock), ms. */
  readonly cameraToDrawnMs: LatencySummary;
  /** Last input label. */
  readonly input: string;
  /** Last expression head output, `label (probability)`; `n/a (no head models)` without heads. */
  readonly expression: string;
  /**
   * Last verification against the participant's first face, `same person, distance d, threshold t`;
   * `n/a (no head models)` without heads.
   */
  readonly verification: string;
  /** Receiver head totals. */
  readonly heads: HeadsSummary;
}

/** Totals of the receiver heads over the run. */
export interface HeadsSummary {
  /** Whether the SDK receiver heads were loaded. */
  readonly loaded: boolean;
  /** Why not, when they were not. */
  readonly reason?: string;
  /** Descriptors the heads ran on (the head skips to the newest frame when busy). */
  readonly frames: number;
  /** Frames per expression label. */
  readonly expressionCounts: Readonly<Record<string, number>>;
  /** Verifications against the first face seen from the participant. */
  readonly verify: {
    readonly comparisons: number;
    readonly same: number;
    readonly different: number;
    readonly meanDistance: number | null;
    readonly maxDistance: number | null;
    readonly threshold: number | null;
  };
}

/** Shown for the head fields when the demo has no head models. */
export const NO_HEADS_TEXT = 'n/a (no head models)';

/** Collects the demo's numbers from the sender, the receiver and the page. */
export class DemoStatsBoard {
  readonly #rate = new RateMeter(2000);
  readonly #extract = new LatencyRecorder();
  readonly #decoded = new LatencyRecorder();
  readonly #drawn = new LatencyRecorder();
  readonly #camera = new LatencyRecorder();
  #frames = 0;
  #sent = 0;
  #noFace = 0;
  #keys = 0;
  #bits = 0;
  #lastBits: number | null = null;
  #input = '';
  #headsLoaded = false;
  /** Cumulative wire byte counters: [atMs, up, down], the last 2 s. */
  #wire: Array<[number, number, number]> = [];
  #wireProtocol = 1;
  #headsReason: string | undefined = NO_HEADS_TEXT;
  #headFrames = 0;
  #expression = NO_HEADS_TEXT;
  #verification = NO_HEADS_TEXT;
  readonly #labels: Record<string, number> = {};
  #compared = 0;
  #same = 0;
  #distanceSum = 0;
  #distanceMax: number | null = null;
  #threshold: number | null = null;

  /** Records whether the receiver heads run (`reason`: why not). */
  headsLoaded(loaded: boolean, reason?: string): void {
    this.#headsLoaded = loaded;
    this.#headsReason = loaded ? undefined : reason;
    const text = loaded ? 'waiting…' : NO_HEADS_TEXT;
    this.#expression = text;
    this.#verification = text;
  }

  understood(r: UnderstandingResult): void {
    this.#headFrames++;
    if (r.expression) {
      const { label, probability } = r.expression;
      this.#expression = `${label} (${probability.toFixed(2)})`;
      this.#labels[label] = (this.#labels[label] ?? 0) + 1;
    }
    const v = r.verification;
    if (v) {
      this.#verification = `${v.same ? 'same person' : 'different person'}, distance ${v.distance.toFixed(3)}, threshold ${v.threshold.toFixed(3)} (vs first face)`;
      this.#compared++;
      if (v.same) this.#same++;
      this.#distanceSum += v.distance;
      this.#distanceMax = Math.max(this.#distanceMax ?? 0, v.distance);
      this.#threshold = v.threshold;
    }
  }

  sent(s: SenderStep): void {
    this.#input = s.label;
    if (s.seq === undefined) this.#noFace++;
    else {
      this.#sent++;
      this.#extract.add(s.extractMs);
    }
  }

  decoded(a: AvatarFrame): void {
    this.#frames++;
    if (a.keyFrame) this.#keys++;
    this.#bits += a.bytes * 8;
    this.#lastBits = a.bytes * 8;
    this.#rate.add(a.bytes, a.decodedAtMs);
    this.#decoded.add(a.decodedAtMs - a.captureTimeMs);
  }

  drawn(ms: number): void {
    this.#drawn.add(ms);
  }

  cameraDrawn(ms: number): void {
    this.#camera.add(ms);
  }

  /** Cumulative WebSocket message bytes of the sender (sent) and receiver (received) at `atMs`. */
  wireSample(upBytes: number, downBytes: number, protocol: number, atMs: number = nowMs()): void {
    this.#wire.push([atMs, upBytes, downBytes]);
    while (this.#wire.length > 2 && atMs - this.#wire[0]![0] > 2000) this.#wire.shift();
    this.#wireProtocol = protocol;
  }

  #wireKbps(): { up: number; down: number } {
    const first = this.#wire[0];
    const last = this.#wire.at(-1);
    if (!first || !last || last[0] <= first[0]) return { up: 0, down: 0 };
    const s = (last[0] - first[0]) / 1000;
    return { up: ((last[1] - first[1]) * 8) / s / 1000, down: ((last[2] - first[2]) * 8) / s / 1000 };
  }

  snapshot(): DemoStats {
    return {
      frames: this.#frames,
      framesSent: this.#sent,
      framesWithoutFace: this.#noFace,
      keyFrames: this.#keys,
      bitrateKbps: this.#rate.bitsPerSecond(nowMs()) / 1000,
      wireKbps: this.#wireKbps(),
      wireProtocol: this.#wireProtocol,
      bitsPerFrame: { last: this.#lastBits, mean: this.#frames ? this.#bits / this.#frames : null },
      extractMs: this.#extract.summary(),
      captureToDecodedMs: this.#decoded.summary(),
      captureToDrawnMs: this.#drawn.summary(),
      cameraToDrawnMs: this.#camera.summary(),
      input: this.#input,
      expression: this.#expression,
      verification: this.#verification,
      heads: {
        loaded: this.#headsLoaded,
        ...(this.#headsReason !== undefined ? { reason: this.#headsReason } : {}),
        frames: this.#headFrames,
        expressionCounts: { ...this.#labels },
        verify: {
          comparisons: this.#compared,
          same: this.#same,
          different: this.#compared - this.#same,
          meanDistance: this.#compared ? this.#distanceSum / this.#compared : null,
          maxDistance: this.#distanceMax,
          threshold: this.#threshold,
        },
      },
    };
  }
}
