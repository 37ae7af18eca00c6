/**
 * Batch semantics for extraction jobs: one bad item (no face, unreadable file, truncated video) is
 * recorded with its error code and the batch goes on; programming errors still fail loudly.
 */

/** An item that failed, with the stable code of its error. */
export interface BatchFailure<T> {
  readonly item: T;
  /** Position of the item in the input order. */
  readonly index: number;
  /** The error's `code` (`SEMFACE_ERR_*`). */
  readonly code: string;
  readonly message: string;
  readonly error: unknown;
}

/** Counts of a finished batch. */
export interface BatchSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Failures per error code. */
  readonly failuresByCode: Readonly<Record<string, number>>;
}

/** Results, failures and counts of a batch. */
export interface BatchResult<T, R> {
  /** Successful items in input order. */
  readonly results: readonly { readonly item: T; readonly index: number; readonly value: R }[];
  /** Failed items in input order. */
  readonly failures: readonly BatchFailure<T>[];
  readonly summary: BatchSummary;
}

/** Options of {@link runBatch}. */
export interface BatchOptions<T> {
  /** Called once per failed item, as it fails. */
  readonly onError?: (failure: BatchFailure<T>) => void;
  /** Called after each item, done or failed. `total` is undefined for async iterables of unknown length. */
  readonly onProgress?: (done: number, total: number | undefined, failed: number) => void;
  /** Items processed at once. Default 1 (inference is CPU-bound). */
  readonly concurrency?: number;
  /**
   * Codes that stop the whole batch (rethrown) because every later item would fail the same way.
   * Default: {@link BATCH_FATAL_CODES}.
   */
  readonly fatalCodes?: ReadonlySet<string>;
}

/** Codes that abort a batch by default: the environment is broken, not the item. */
export const BATCH_FATAL_CODES: ReadonlySet<string> = new Set(['SEMFACE_ERR_FFMPEG_MISSING']);

/** The stable code of a recoverable item error, or undefined for anything else (a bug). */
export function recoverableErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SEMFACE_ERR_') ? code : undefined;
}

/** Summarizes counts from a list of failures. */
export function summarizeBatch(total: number, failures: readonly { readonly code: string }[]): BatchSummary {
  const failuresByCode: Record<string, number> = {};
  for (const f of failures) failuresByCode[f.code] = (failuresByCode[f.code] ?? 0) + 1;
  return { total, succeeded: total - failures.length, failed: failures.length, failuresByCode };
}

/**
 * Runs `fn` over every item. An item whose error carries a `SEMFACE_ERR_*` code is recorded as a
 * failure and the batch continues; errors without such a code, and codes in `fatalCodes`, are
 * rethrown after in-flight items settle.
 */
export async function runBatch<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: (item: T, index: number) => Promise<R>,
  options: BatchOptions<T> = {},
): Promise<BatchResult<T, R>> {
  const concurrency = options.concurrency ?? 1;
  if (typeof concurrency !== 'number') throw new TypeError('concurrency must be a number');
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const fatal = options.fatalCodes ?? BATCH_FATAL_CODES;
  const total = Array.isArray(items) ? items.length : undefined;
  const results: { item: T; index: number; value: R }[] = [];
  const failures: BatchFailure<T>[] = [];
  let done = 0;
  let abort: { error: unknown } | undefined;

  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let nextIndex = 0;
  const take = async (): Promise<{ item: T; index: number } | undefined> => {
    if (abort) return undefined;
    const step = await iterator.next();
    if (step.done) return undefined;
    return { item: step.value, index: nextIndex++ };
  };

  const worker = async (): Promise<void> => {
    for (let next = await take(); next; next = await take()) {
      const { item, index } = next;
      try {
        results.push({ item, index, value: await fn(item, index) });
      } catch (error) {
        const code = recoverableErrorCode(error);
        if (code === undefined || fatal.has(code)) {
          abort ??= { error };
          return;
        }
        const failure: BatchFailure<T> = {
          item,
          index,
          code,
          message: (error as Error).message ?? String(error),
          error,
        };
        failures.push(failure);
        options.onError?.(failure);
      }
      done++;
      options.onProgress?.(done, total, failures.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (abort) throw abort.error;
  results.sort((a, b) => a.index - b.index);
  failures.sort((a, b) => a.index - b.index);
  return { results, failures, summary: summarizeBatch(done, failures) };
}
