/** Exponential back-off between reconnect attempts. */
export interface ReconnectOptions {
  /** Delay before the first attempt, before jitter. Default 250. Unit: ms. */
  readonly initialDelayMs: number;
  /** Largest delay, before jitter. Default 10000. Unit: ms. */
  readonly maxDelayMs: number;
  /** Growth of the delay per attempt (>= 1). Default 2. */
  readonly factor: number;
  /** Attempts before giving up with ReconnectFailedError; `Infinity` retries forever. Default 20. */
  readonly maxRetries: number;
}

/** Defaults of {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT_OPTIONS: Readonly<ReconnectOptions> = Object.freeze({
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  factor: 2,
  maxRetries: 20,
});

/**
 * Merges `input` over the defaults and validates once.
 * @throws TypeError for wrong types or unknown keys, RangeError for out-of-range values.
 */
export function resolveReconnectOptions(input: Partial<ReconnectOptions> = {}): Readonly<ReconnectOptions> {
  if (input === null || typeof input !== 'object')
    throw new TypeError('reconnect must be an object or false');
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_RECONNECT_OPTIONS)) throw new TypeError(`unknown reconnect option '${key}'`);
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULT_RECONNECT_OPTIONS, ...defined } as ReconnectOptions;
  for (const key of ['initialDelayMs', 'maxDelayMs', 'factor', 'maxRetries'] as const) {
    if (typeof o[key] !== 'number' || Number.isNaN(o[key]))
      throw new TypeError(`reconnect.${key} must be a number`);
  }
  if (!Number.isFinite(o.initialDelayMs) || o.initialDelayMs < 0)
    throw new RangeError('reconnect.initialDelayMs must be a finite number >= 0');
  if (!Number.isFinite(o.maxDelayMs) || o.maxDelayMs < o.initialDelayMs)
    throw new RangeError('reconnect.maxDelayMs must be finite and >= initialDelayMs');
  if (!Number.isFinite(o.factor) || o.factor < 1) throw new RangeError('reconnect.factor must be >= 1');
  if (o.maxRetries !== Infinity && (!Number.isInteger(o.maxRetries) || o.maxRetries < 1))
    throw new RangeError('reconnect.maxRetries must be a positive integer or Infinity');
  return Object.freeze(o);
}

/**
 * Delay before reconnect attempt `attempt` (0-based): `min(maxDelayMs, initialDelayMs * factor^attempt)`
 * with "equal jitter": a uniform value in [d/2, d], so clients that lost the same relay spread out
 * while each still waits at least half the nominal delay.
 * @param random uniform [0, 1) source (injectable for tests).
 */
export function backoffDelay(
  attempt: number,
  options: Readonly<ReconnectOptions>,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError('attempt must be an integer >= 0');
  const nominal = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt);
  return nominal / 2 + random() * (nominal / 2);
}
