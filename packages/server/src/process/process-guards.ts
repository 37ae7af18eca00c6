import type { Logger } from 'pino';
import type { RelayMetrics } from '../metrics/relay-metrics.js';

/** What {@link installProcessGuards} needs of a relay server. */
export interface GuardedServer {
  readonly log: Logger;
  readonly metrics: RelayMetrics;
  close(): Promise<void>;
}

/** Options of {@link installProcessGuards}. */
export interface ProcessGuardOptions {
  /** Uncaught exceptions tolerated per minute before the process drains and exits with 1. Default 10. */
  readonly maxUncaughtPerMinute?: number;
  /** Called instead of `process.exit` (tests). */
  readonly exit?: (code: number) => void;
}

/**
 * Process-level failure policy of `semface serve` and the container entry. Every message
 * handler of the relay already contains its own failures, so a stray rejection or exception
 * comes from a path that owns no shared state: it is logged and counted
 * (`semface_relay_process_faults_total{kind}`) and the relay keeps serving. A burst of uncaught
 * exceptions means something is broken for real: the server drains and the process exits 1 so
 * a supervisor restarts it. Returns a function that removes the handlers.
 */
export function installProcessGuards(
  server: GuardedServer,
  options: ProcessGuardOptions = {},
  proc: NodeJS.Process = process,
): () => void {
  const limit = options.maxUncaughtPerMinute ?? 10;
  if (!Number.isInteger(limit)) throw new TypeError('maxUncaughtPerMinute must be an integer');
  if (limit < 1) throw new RangeError('maxUncaughtPerMinute must be >= 1');
  const exit = options.exit ?? ((code: number) => proc.exit(code));
  const recent: number[] = [];
  let exiting = false;
  const onRejection = (reason: unknown) => {
    server.metrics.processFaults.labels('unhandled_rejection').inc();
    server.log.error({ err: reason }, 'unhandled promise rejection (relay keeps serving)');
  };
  const onException = (err: Error) => {
    server.metrics.processFaults.labels('uncaught_exception').inc();
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && now - recent[0]! > 60_000) recent.shift();
    if (recent.length <= limit) {
      server.log.error({ err }, 'uncaught exception (relay keeps serving)');
      return;
    }
    if (exiting) return;
    exiting = true;
    server.log.fatal({ err, perMinute: recent.length }, 'too many uncaught exceptions; draining and exiting');
    void server.close().finally(() => exit(1));
  };
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}
