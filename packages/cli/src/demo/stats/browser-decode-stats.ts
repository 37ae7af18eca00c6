import { type LatencySummary, LatencyRecorder } from './latency-recorder.js';

/** What pages that decode themselves (`?decode=browser`) reported, in the demo's report. */
export interface BrowserDecodeSummary {
  /** Whether the server offered browser decoding (bundle built, face model installed). */
  readonly available: boolean;
  /** Why not, when not. */
  readonly reason?: string;
  /** Frames decoded, meshed and drawn by such pages. */
  readonly frames: number;
  /** Bitstream decode (entropy + ONNX synthesis on onnxruntime-web) per frame, ms. */
  readonly decodeMs: LatencySummary;
  /** Receiver heads (expression + verification, onnxruntime-web) per frame they ran on, ms. */
  readonly headsMs: LatencySummary;
  /** Decode + heads of the frames the heads ran on, ms. */
  readonly decodeAndHeadsMs: LatencySummary;
  /** Mesh building per frame, ms. */
  readonly meshMs: LatencySummary;
  /** Camera frame grabbed -> its avatar drawn from the page's own decode (page clock), ms. */
  readonly cameraToDrawnMs: LatencySummary;
  /** Frames per expression label from the page's heads. */
  readonly expressionCounts: Readonly<Record<string, number>>;
  /** Page-decoded descriptors compared with the server's decode of the same frame. */
  readonly agreement: { readonly compared: number; readonly maxAbsDiff: number | null };
}

/** Collects the numbers pages report about their own decoding. */
export class BrowserDecodeStats {
  readonly #decode = new LatencyRecorder();
  readonly #heads = new LatencyRecorder();
  readonly #both = new LatencyRecorder();
  readonly #mesh = new LatencyRecorder();
  readonly #camera = new LatencyRecorder();
  readonly #decodeBySeq = new Map<number, number>();
  readonly #labels: Record<string, number> = {};
  #frames = 0;
  #compared = 0;
  #maxAbsDiff: number | null = null;

  constructor(
    readonly available: boolean,
    readonly reason?: string,
  ) {}

  /** A frame the page decoded and drew. */
  drawn(seq: number, decodeMs: number, meshMs: number): void {
    this.#frames++;
    this.#decode.add(decodeMs);
    this.#mesh.add(meshMs);
    this.#decodeBySeq.set(seq, decodeMs);
    this.#decodeBySeq.delete(seq - 1000);
  }

  /** A camera frame's avatar drawn from the page's own decode, ms after the page grabbed it. */
  cameraDrawn(ms: number): void {
    this.#camera.add(ms);
  }

  /** The page's heads ran on a frame. */
  heads(seq: number, headsMs: number, label?: string, decodeMs?: number): void {
    this.#heads.add(headsMs);
    const d = decodeMs ?? this.#decodeBySeq.get(seq);
    if (d !== undefined) this.#both.add(d + headsMs);
    if (label) this.#labels[label] = (this.#labels[label] ?? 0) + 1;
  }

  /** A page-decoded descriptor against the server's decode of the same frame. */
  compare(page: ArrayLike<number>, server: Float32Array): number {
    let max = 0;
    for (let i = 0; i < server.length; i++)
      max = Math.max(max, Math.abs((page[i] ?? Number.NaN) - server[i]!));
    if (page.length !== server.length || Number.isNaN(max)) max = Number.POSITIVE_INFINITY;
    this.#compared++;
    this.#maxAbsDiff = Math.max(this.#maxAbsDiff ?? 0, max);
    return max;
  }

  summary(): BrowserDecodeSummary {
    return {
      available: this.available,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      frames: this.#frames,
      decodeMs: this.#decode.summary(),
      headsMs: this.#heads.summary(),
      decodeAndHeadsMs: this.#both.summary(),
      meshMs: this.#mesh.summary(),
      cameraToDrawnMs: this.#camera.summary(),
      expressionCounts: { ...this.#labels },
      agreement: { compared: this.#compared, maxAbsDiff: this.#maxAbsDiff },
    };
  }
}
