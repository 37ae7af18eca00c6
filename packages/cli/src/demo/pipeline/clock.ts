/** Wall-clock time with sub-millisecond resolution, Unix epoch milliseconds. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
