import { type InferenceSession, Tensor } from 'onnxruntime-node';
import type { RgbaFrame } from '../types.js';
import { blazeFaceAnchors } from './anchors.js';
import { SIGNED_RANGE, sampleCrop } from './crop-sampler.js';
import { DETECTOR_KEYPOINT_COUNT, type FaceDetection } from './face-detection.js';
import { type ScoredBox, nonMaxSuppression } from './nms.js';
import { cropToSource, frameRect } from './rotated-rect.js';

/** Side of the detector's square input in pixels. */
export const DETECTOR_INPUT_SIZE = 256;
/** Values per anchor in the regressor output: box (cx, cy, w, h) + 6 keypoints (x, y). */
const REGRESSOR_WIDTH = 4 + 2 * DETECTOR_KEYPOINT_COUNT;
/** Logits are clipped like MediaPipe's `score_clipping_thresh` so sigmoid never saturates to NaN paths. */
const LOGIT_CLIP = 100;

/** Settings of one detector pass. */
export interface BlazeFaceSettings {
  /** Minimum detection confidence in [0, 1]. */
  readonly minScore: number;
  /** NMS overlap threshold in [0, 1]. */
  readonly iouThreshold: number;
  /** Most faces returned. */
  readonly maxFaces: number;
}

interface Candidate extends ScoredBox {
  readonly index: number;
}

/**
 * BlazeFace short-range face detector. The whole frame is letterboxed (aspect kept, black borders)
 * into the 256x256 input; boxes and keypoints come back in source pixels.
 */
export class BlazeFace {
  private readonly input = new Float32Array(DETECTOR_INPUT_SIZE * DETECTOR_INPUT_SIZE * 3);
  private readonly anchors = blazeFaceAnchors(DETECTOR_INPUT_SIZE);
  private readonly anchorCount = this.anchors.length / 2;
  private readonly point = new Float64Array(2);

  constructor(private readonly session: InferenceSession) {}

  /** Detects faces, best score first. */
  async detect(frame: RgbaFrame, settings: BlazeFaceSettings): Promise<FaceDetection[]> {
    const size = DETECTOR_INPUT_SIZE;
    const rect = frameRect(frame.width, frame.height);
    sampleCrop(frame, rect, size, this.input, 0, SIGNED_RANGE);
    const feeds = { [this.session.inputNames[0]!]: new Tensor('float32', this.input, [1, size, size, 3]) };
    const results = await this.session.run(feeds);
    const { scores, regressors } = this.collectOutputs(results);

    const candidates: Candidate[] = [];
    const minLogit = Math.log(settings.minScore / (1 - settings.minScore));
    for (let i = 0; i < this.anchorCount; i++) {
      const logit = scores[i]!;
      if (!(logit >= minLogit)) continue;
      const r = i * REGRESSOR_WIDTH;
      const cx = regressors[r]! + this.anchors[2 * i]!;
      const cy = regressors[r + 1]! + this.anchors[2 * i + 1]!;
      const w = regressors[r + 2]!;
      const h = regressors[r + 3]!;
      if (!(w > 0 && h > 0)) continue;
      const score = 1 / (1 + Math.exp(-Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, logit))));
      candidates.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, index: i });
    }
    const kept = nonMaxSuppression(candidates, settings.iouThreshold, settings.maxFaces);

    const p = this.point;
    return kept.map((c) => {
      cropToSource(rect, size, c.x1, c.y1, p);
      const x1 = p[0]!;
      const y1 = p[1]!;
      const keypoints = new Float32Array(DETECTOR_KEYPOINT_COUNT * 2);
      const r = c.index * REGRESSOR_WIDTH + 4;
      for (let k = 0; k < DETECTOR_KEYPOINT_COUNT; k++) {
        const kx = regressors[r + 2 * k]! + this.anchors[2 * c.index]!;
        const ky = regressors[r + 2 * k + 1]! + this.anchors[2 * c.index + 1]!;
        cropToSource(rect, size, kx, ky, p);
        keypoints[2 * k] = p[0]!;
        keypoints[2 * k + 1] = p[1]!;
      }
      cropToSource(rect, size, c.x2, c.y2, p);
      return { box: { x: x1, y: y1, width: p[0]! - x1, height: p[1]! - y1 }, score: c.score, keypoints };
    });
  }

  /**
   * The model has four outputs (scores and regressors of the 16x16 and 8x8 anchor layers); they are
   * identified by shape, then concatenated in anchor order (16x16 layer first).
   */
  private collectOutputs(results: InferenceSession.OnnxValueMapType): {
    scores: Float32Array;
    regressors: Float32Array;
  } {
    const scoreParts: Tensor[] = [];
    const regParts: Tensor[] = [];
    for (const name of this.session.outputNames) {
      const t = results[name] as Tensor;
      const last = t.dims[t.dims.length - 1];
      (last === 1 ? scoreParts : regParts).push(t);
    }
    const byAnchors = (a: Tensor, b: Tensor) => (b.dims[1] ?? 0) - (a.dims[1] ?? 0);
    scoreParts.sort(byAnchors);
    regParts.sort(byAnchors);
    const scores = new Float32Array(this.anchorCount);
    const regressors = new Float32Array(this.anchorCount * REGRESSOR_WIDTH);
    let o = 0;
    for (const t of scoreParts) {
      scores.set(t.data as Float32Array, o);
      o += t.size;
    }
    o = 0;
    for (const t of regParts) {
      regressors.set(t.data as Float32Array, o);
      o += t.size;
    }
    if (scores.length !== o / REGRESSOR_WIDTH) {
      throw new Error(`detector output mismatch: ${scores.length} scores vs ${o / REGRESSOR_WIDTH} boxes`);
    }
    return { scores, regressors };
  }
}
