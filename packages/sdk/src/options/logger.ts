/**
 * Structured logger the SDK writes to (pino-compatible: `logger.warn({ code }, 'message')`).
 * Default: no logging.
 */
export interface SdkLogger {
  debug(data: object, message?: string): void;
  info(data: object, message?: string): void;
  warn(data: object, message?: string): void;
  error(data: object, message?: string): void;
}

const noop = () => {};

/** A logger that drops everything. */
export const SILENT_LOGGER: SdkLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** True if `value` has the four logging methods. */
export function isSdkLogger(value: unknown): value is SdkLogger {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    ['debug', 'info', 'warn', 'error'].every((m) => typeof v[m] === 'function')
  );
}
