import { AbortedError, TimeoutError } from '../errors.js';

/** Limits of one {@link abortable} wait. */
export interface WaitLimits {
  /** Cancels the wait with {@link AbortedError}. */
  readonly signal?: AbortSignal | undefined;
  /** Fails the wait with {@link TimeoutError} after this long; undefined = no limit. Unit: ms. */
  readonly timeoutMs?: number | undefined;
  /** What is awaited, for error messages. */
  readonly what: string;
}

/**
 * A promise settled by `start` (which may return a cleanup), by the signal (AbortedError) or by the
 * timeout (TimeoutError), whichever comes first. Listeners and timers are removed when it settles.
 */
export function abortable<T>(
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => (() => void) | undefined,
  limits: WaitLimits,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal, timeoutMs, what } = limits;
    if (signal?.aborted) {
      reject(new AbortedError(`${what}: aborted`, { cause: signal.reason }));
      return;
    }
    let done = false;
    // Assigned once `start` returns; `finish` may run before that (synchronous settle).
    const hold: { cleanup?: (() => void) | undefined } = {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      done = true;
      signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
      hold.cleanup?.();
    };
    const onAbort = () => {
      if (done) return;
      finish();
      reject(new AbortedError(`${what}: aborted`, { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        if (done) return;
        finish();
        reject(new TimeoutError(`${what}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    }
    hold.cleanup = start(
      (value) => {
        if (done) return;
        finish();
        resolve(value);
      },
      (error) => {
        if (done) return;
        finish();
        reject(error);
      },
    );
    // `start` may have settled synchronously, before `cleanup` was assigned.
    if (done) hold.cleanup?.();
  });
}

/** Resolves after `ms`, or rejects with AbortedError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortable<void>(
    (resolve) => {
      const t = setTimeout(resolve, ms);
      return () => clearTimeout(t);
    },
    { signal, what: 'sleep' },
  );
}
