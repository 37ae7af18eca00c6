import type { AvatarFrame } from '../pipeline/avatar-receiver.js';
import { nowMs } from '../pipeline/clock.js';
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
  /** Expression head output; 'n/a' until the SDK ships the head. */
  readonly expression: string;
  /** Verification head output; 'n/a' until the SDK ships the head. */
  readonly verification: string;
}

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

  snapshot(): DemoStats {
    return {
      frames: this.#frames,
      framesSent: this.#sent,
      framesWithoutFace: this.#noFace,
      keyFrames: this.#keys,
      bitrateKbps: this.#rate.bitsPerSecond(nowMs()) / 1000,
      bitsPerFrame: { last: this.#lastBits, mean: this.#frames ? this.#bits / this.#frames : null },
      extractMs: this.#extract.summary(),
      captureToDecodedMs: this.#decoded.summary(),
      captureToDrawnMs: this.#drawn.summary(),
      cameraToDrawnMs: this.#camera.summary(),
      input: this.#input,
      expression: 'n/a',
      verification: 'n/a',
    };
  }
}
