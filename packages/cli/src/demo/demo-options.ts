import type { CoderName } from '@semface/codec-core';
import { isValidRoomName } from '@semface/protocol';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Video, image or folder to stream. Default: the demo photos of @vladmandic/face-api (slideshow). */
  readonly input?: string | undefined;
  /** Port of the viewer page; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Interface the viewer page and the relay listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Stop after this many seconds; undefined runs until {@link Demo.close}. Default undefined. Unit: s. */
  readonly durationSeconds?: number | undefined;
  /** Relay room. Default `demo`. */
  readonly room?: string;
  /** Frame rate of the photo slideshow. Default 15. Unit: frames/s. */
  readonly photoFps?: number;
  /** Time each photo stays on. Default 2. Unit: s. */
  readonly slideSeconds?: number;
  /** Width of the input previews sent to the page. Default 320. Unit: px. */
  readonly previewWidth?: number;
  /** Codec model folder (manifest.json). Default: the models shipped with @semface/codec-core. */
  readonly codecModelsDir?: string | undefined;
  /** Face model folder. Default: the extractor's packaged model, else a mean-shape stand-in. */
  readonly faceModelDir?: string | undefined;
  /**
   * Receiver head folder (manifest.json + ONNX). Default: the heads shipped with @semface/sdk. Missing
   * models are not fatal: the expression and verification fields show `n/a (no head models)`.
   */
  readonly headsModelsDir?: string | undefined;
  /**
   * Stream coding: `temporal` (layered temporal stream, rate-controlled to `targetKbps`) or `intra`
   * (every frame coded on its own with `coder`, `rateIndex`, `keyFrameInterval`). Default `temporal`.
   */
  readonly coding?: DemoCoding;
  /** Temporal coding: rate-control target. Default 2. Unit: kbit/s. */
  readonly targetKbps?: number;
  /** Temporal coding: time between periodic key frames. Default 2. Unit: s. */
  readonly keyFrameIntervalSeconds?: number;
  /** Intra coding: entropy coder. Default `rans`. */
  readonly coder?: CoderName;
  /** Intra coding: codec rate index (0 = lowest rate). Default 0. */
  readonly rateIndex?: number;
  /** Intra coding: key frame every this many frames (adaptive coders). Default 30. Unit: frames. */
  readonly keyFrameInterval?: number;
  /**
   * Mirror-symmetric extraction (`FaceDescriptorExtractorOptions.symmetric`): the avatar's Left/Right
   * weights swap exactly with a mirrored camera; twice the extraction cost. Default false.
   */
  readonly symmetric?: boolean;
}

/** Stream codings the demo can use (those of the SDK's `coding` option). */
export const DEMO_CODINGS = Object.freeze(['temporal', 'intra'] as const);

/** Name of a demo stream coding. */
export type DemoCoding = (typeof DEMO_CODINGS)[number];

type MaybeUnset = 'input' | 'durationSeconds' | 'codecModelsDir' | 'faceModelDir' | 'headsModelsDir';

/** Validated options: every field set, except those whose default is "unset". */
export type ResolvedDemoOptions = Readonly<
  Required<Omit<DemoOptions, MaybeUnset>> & { [K in MaybeUnset]: DemoOptions[K] | undefined }
>;

/** Defaults of {@link DemoOptions}. */
export const DEMO_DEFAULTS: ResolvedDemoOptions = Object.freeze({
  input: undefined,
  port: 8080,
  host: '127.0.0.1',
  durationSeconds: undefined,
  room: 'demo',
  photoFps: 15,
  slideSeconds: 2,
  previewWidth: 320,
  codecModelsDir: undefined,
  faceModelDir: undefined,
  headsModelsDir: undefined,
  coding: 'temporal' as DemoCoding,
  targetKbps: 2,
  keyFrameIntervalSeconds: 2,
  coder: 'rans' as CoderName,
  rateIndex: 0,
  keyFrameInterval: 30,
  symmetric: false,
});

function num(name: string, v: unknown, min: number, max: number, integer = false): void {
  if (typeof v !== 'number' || Number.isNaN(v) || (integer && !Number.isInteger(v))) {
    throw new TypeError(`${name} must be ${integer ? 'an integer' : 'a number'}`);
  }
  if (v < min || v > max) throw new RangeError(`${name} must be in [${min}, ${max}], got ${v}`);
}

function optString(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'string') throw new TypeError(`${name} must be a string`);
}

/** Applies defaults and validates (TypeError for wrong types, RangeError for out-of-range values). */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...DEMO_DEFAULTS, ...defined } as ResolvedDemoOptions;
  optString('input', o.input);
  optString('codecModelsDir', o.codecModelsDir);
  optString('faceModelDir', o.faceModelDir);
  optString('headsModelsDir', o.headsModelsDir);
  num('port', o.port, 0, 65535, true);
  if (typeof o.host !== 'string' || o.host === '') throw new TypeError('host must be a non-empty string');
  if (o.durationSeconds !== undefined) num('durationSeconds', o.durationSeconds, 0.1, 31 * 24 * 3600);
  if (typeof o.room !== 'string' || !isValidRoomName(o.room)) {
    throw new RangeError('room must be 1-64 letters, digits, _ or -');
  }
  num('photoFps', o.photoFps, 1, 60);
  num('slideSeconds', o.slideSeconds, 0.1, 3600);
  num('previewWidth', o.previewWidth, 32, 1920, true);
  if (typeof o.coding !== 'string') throw new TypeError('coding must be a string');
  if (!(DEMO_CODINGS as readonly string[]).includes(o.coding)) {
    throw new RangeError(`coding must be one of ${DEMO_CODINGS.join(', ')}`);
  }
  num('targetKbps', o.targetKbps, 0, 10_000);
  num('keyFrameIntervalSeconds', o.keyFrameIntervalSeconds, 0, 3600);
  num('rateIndex', o.rateIndex, 0, 255, true);
  num('keyFrameInterval', o.keyFrameInterval, 0, 100_000, true);
  if (typeof o.symmetric !== 'boolean') throw new TypeError('symmetric must be a boolean');
  return Object.freeze(o);
}
