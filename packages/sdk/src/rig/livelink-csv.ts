import { LiveLinkCsvError } from '../errors.js';
import { ARKIT_BLENDSHAPES, type ArkitBlendshape } from './arkit.js';
import type { RigFrame } from './face-rig.js';

/** The 9 rotation curves Live Link Face appends to the 52 blendshapes (radians here). */
export const LIVE_LINK_ROTATIONS = Object.freeze([
  'HeadYaw',
  'HeadPitch',
  'HeadRoll',
  'LeftEyeYaw',
  'LeftEyePitch',
  'LeftEyeRoll',
  'RightEyeYaw',
  'RightEyePitch',
  'RightEyeRoll',
] as const);

/** The 61 curve columns of a Live Link Face CSV: ARKit blendshapes in PascalCase, then the rotations. */
export const LIVE_LINK_CURVES: readonly string[] = Object.freeze([
  ...ARKIT_BLENDSHAPES.map((n) => n[0]!.toUpperCase() + n.slice(1)),
  ...LIVE_LINK_ROTATIONS,
]);

/** Full header: `Timecode,BlendShapeCount,` + the 61 curves (63 columns). */
export const LIVE_LINK_CSV_HEADER = ['Timecode', 'BlendShapeCount', ...LIVE_LINK_CURVES].join(',');

/**
 * Live Link Face timecode `HH:MM:SS:FF.fff` of `seconds` at `fps` frames per second (FF = frame within
 * the second, .fff = thousandths of a frame).
 */
export function liveLinkTimecode(seconds: number, fps: number): string {
  if (!(seconds >= 0) || !(fps > 0)) throw new RangeError('seconds must be >= 0 and fps > 0');
  const totalFrames = seconds * fps;
  const whole = Math.floor(totalFrames + 1e-9);
  const sub = Math.min(999, Math.round((totalFrames - whole) * 1000));
  const perSecond = Math.round(fps);
  const s = Math.floor(whole / perSecond);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}:${pad(whole % perSecond)}.${String(sub).padStart(3, '0')}`;
}

/**
 * One CSV row of a rig frame. Rotations in radians with one sign convention for head and eyes:
 * yaw > 0 toward the subject's right, pitch > 0 down, roll > 0 clockwise on screen (the descriptor's
 * own, docs/face-model.md); eye yaw/pitch are the gaze relative to the head, eye roll 0.
 */
export function liveLinkCsvRow(frame: RigFrame, seconds: number, fps: number): string {
  const values = [
    ...ARKIT_BLENDSHAPES.map((n) => frame.arkit[n]),
    frame.head.yaw,
    frame.head.pitch,
    frame.head.roll,
    -frame.gaze.yaw,
    -frame.gaze.pitch,
    0,
    -frame.gaze.yaw,
    -frame.gaze.pitch,
    0,
  ];
  return [
    liveLinkTimecode(seconds, fps),
    String(LIVE_LINK_CURVES.length),
    ...values.map((v) => v.toFixed(6)),
  ].join(',');
}

/** A parsed Live Link Face CSV. */
export interface LiveLinkTake {
  /** Curve names in file order (after Timecode, BlendShapeCount). */
  readonly curves: readonly string[];
  readonly rows: readonly LiveLinkRow[];
}

/** One parsed row. */
export interface LiveLinkRow {
  readonly timecode: string;
  /** Seconds of the timecode at the given frame rate (HH:MM:SS + (FF + .fff) / fps). */
  readonly seconds: number;
  /** ARKit weights by ARKit name (missing columns are 0). */
  readonly arkit: Record<ArkitBlendshape, number>;
  /** Every curve by its column name. */
  readonly values: Readonly<Record<string, number>>;
}

const TIMECODE = /^(\d+):(\d{2}):(\d{2}):(\d+)(?:\.(\d+))?$/;

/**
 * Parses a Live Link Face CSV (ours or the app's): header `Timecode,BlendShapeCount,<curves>`, curve
 * names matched to ARKit names without regard to case. Throws {@link LiveLinkCsvError} with the line.
 */
export function parseLiveLinkCsv(text: string, fps = 60): LiveLinkTake {
  const lines = text.split(/\r?\n/).filter((l, i, all) => l.length > 0 || i < all.length - 1);
  const header = lines[0]?.split(',').map((h) => h.trim());
  if (!header || header[0] !== 'Timecode' || header[1] !== 'BlendShapeCount') {
    throw new LiveLinkCsvError(1, 'header must start with Timecode,BlendShapeCount');
  }
  const curves = header.slice(2);
  const byLower = new Map(ARKIT_BLENDSHAPES.map((n) => [n.toLowerCase(), n]));
  const arkitOf = curves.map((c) => byLower.get(c.toLowerCase()));
  if (!arkitOf.some((n) => n !== undefined)) throw new LiveLinkCsvError(1, 'no ARKit blendshape columns');
  const rows: LiveLinkRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length !== header.length) {
      throw new LiveLinkCsvError(i + 1, `${cells.length} cells, the header has ${header.length}`);
    }
    const tc = TIMECODE.exec(cells[0]!.trim());
    if (!tc) throw new LiveLinkCsvError(i + 1, `bad timecode '${cells[0]}'`);
    const frames = Number(tc[4]) + (tc[5] ? Number(`0.${tc[5]}`) : 0);
    const seconds = Number(tc[1]) * 3600 + Number(tc[2]) * 60 + Number(tc[3]) + frames / fps;
    const arkit = Object.fromEntries(ARKIT_BLENDSHAPES.map((n) => [n, 0])) as Record<ArkitBlendshape, number>;
    const values: Record<string, number> = {};
    for (let c = 0; c < curves.length; c++) {
      const v = Number(cells[c + 2]);
      if (!Number.isFinite(v))
        throw new LiveLinkCsvError(i + 1, `column ${curves[c]}: '${cells[c + 2]}' is not a number`);
      values[curves[c]!] = v;
      const n = arkitOf[c];
      if (n) arkit[n] = v;
    }
    rows.push({ timecode: cells[0]!.trim(), seconds, arkit, values });
  }
  return { curves, rows };
}
