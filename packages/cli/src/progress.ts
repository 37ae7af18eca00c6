/**
 * A small dependency-free progress reporter for long CLI jobs. On a TTY it redraws one line in
 * place; elsewhere (logs, CI, pipes) it prints a plain line every `intervalMs` so logs stay short.
 */

/** Where progress goes: a stream such as `process.stderr`. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Total number of items; undefined when unknown (no bar, no ETA). Default undefined. */
  readonly total?: number;
  /** Text before the bar. Default `''`. */
  readonly label?: string;
  /** Output stream. Default `process.stderr`. */
  readonly stream?: ProgressStream;
  /** Redraw in place; default: `stream.isTTY`. */
  readonly tty?: boolean;
  /** Milliseconds between plain (non-TTY) lines. Default 5000 ms. */
  readonly intervalMs?: number;
  /** Milliseconds between TTY redraws. Default 100 ms. */
  readonly redrawMs?: number;
  /** Clock in milliseconds. Default `performance.now`. */
  readonly now?: () => number;
}

/** Defaults of {@link ProgressOptions}. */
export const PROGRESS_DEFAULTS = Object.freeze({ label: '', intervalMs: 5000, redrawMs: 100 });

/** Formats seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A snapshot of a job's progress. */
export interface ProgressState {
  readonly done: number;
  readonly total: number | undefined;
  readonly failed: number;
  /** Seconds since the start. */
  readonly elapsed: number;
}

/** Renders one progress line: label, bar, count, percentage, rate, ETA, failures. */
export function formatProgressLine(label: string, state: ProgressState, width = 80): string {
  const { done, total, failed, elapsed } = state;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const parts: string[] = [];
  if (label) parts.push(label);
  const tail: string[] = [];
  if (total !== undefined && total > 0) {
    const fraction = Math.min(1, done / total);
    tail.push(`${done}/${total}`, `${(fraction * 100).toFixed(1)}%`);
    tail.push(`${rate.toFixed(1)}/s`);
    tail.push(
      done >= total
        ? `in ${formatDuration(elapsed)}`
        : `ETA ${rate > 0 ? formatDuration((total - done) / rate) : '--:--'}`,
    );
  } else {
    tail.push(`${done} done`, `${rate.toFixed(1)}/s`, formatDuration(elapsed));
  }
  if (failed > 0) tail.push(`(${failed} failed)`);
  const text = tail.join(' ');
  if (total !== undefined && total > 0) {
    const room = width - (label ? label.length + 1 : 0) - text.length - 3;
    const barWidth = Math.max(0, Math.min(30, room));
    if (barWidth >= 5) {
      const filled = Math.round(Math.min(1, done / total) * barWidth);
      parts.push(`[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`);
    }
  }
  parts.push(text);
  return parts.join(' ');
}

/** Tracks and prints progress of a job. Call `tick()` per item and `finish()` at the end. */
export class ProgressBar {
  private readonly label: string;
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly redrawMs: number;
  private readonly now: () => number;
  private readonly start: number;
  private total: number | undefined;
  private done = 0;
  private failed = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private finished = false;

  constructor(options: ProgressOptions = {}) {
    const total = options.total;
    if (total !== undefined && (typeof total !== 'number' || !Number.isInteger(total) || total < 0)) {
      throw new RangeError(`total must be a non-negative integer, got ${total}`);
    }
    const intervalMs = options.intervalMs ?? PROGRESS_DEFAULTS.intervalMs;
    const redrawMs = options.redrawMs ?? PROGRESS_DEFAULTS.redrawMs;
    if (typeof intervalMs !== 'number' || typeof redrawMs !== 'number')
      throw new TypeError('intervals must be numbers');
    if (!(intervalMs >= 0) || !(redrawMs >= 0)) throw new RangeError('intervals must be >= 0 ms');
    this.total = total;
    this.label = options.label ?? PROGRESS_DEFAULTS.label;
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? this.stream.isTTY === true;
    this.intervalMs = intervalMs;
    this.redrawMs = redrawMs;
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** Current counts and elapsed time. */
  get state(): ProgressState {
    return {
      done: this.done,
      total: this.total,
      failed: this.failed,
      elapsed: (this.now() - this.start) / 1000,
    };
  }

  /** Sets the total once it is known (e.g. after listing a directory). */
  setTotal(total: number): void {
    this.total = total;
  }

  /** Counts `n` finished items, `failed` of which failed, and redraws when due. */
  tick(n = 1, failed = 0): void {
    this.done += n;
    this.failed += failed;
    this.draw(false);
  }

  /** Prints the final line (ends the TTY line with a newline). Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.draw(true);
    this.finished = true;
  }

  private draw(force: boolean): void {
    if (this.finished) return;
    const t = this.now();
    if (!force && t - this.lastDraw < (this.tty ? this.redrawMs : this.intervalMs)) return;
    this.lastDraw = t;
    const width = this.tty ? (this.stream.columns ?? 80) - 1 : 100;
    const line = formatProgressLine(this.label, this.state, width);
    // `\x1b[K` clears what a longer previous line left behind.
    if (this.tty) this.stream.write(`\r${line}\x1b[K${force ? '\n' : ''}`);
    else this.stream.write(`${line}\n`);
  }
}
