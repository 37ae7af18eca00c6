import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Memory of a relay process after garbage collection. */
export interface MemorySample {
  heapUsed: number;
  external: number;
  /** Bytes of ArrayBuffers (Buffers, Uint8Arrays): where queued and cached frames live. */
  arrayBuffers: number;
  rss: number;
  /** Peak RSS of the process so far. */
  maxRss: number;
  /** Whether a real gc() ran before the sample. */
  gc: boolean;
}

/** MiB. */
export const MiB = 1024 * 1024;

let gcFn: (() => void) | undefined;
function gc(): (() => void) | undefined {
  if (gcFn) return gcFn;
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') {
    gcFn = g;
    return gcFn;
  }
  try {
    // Exposes gc() to a fresh context without restarting the process with --expose-gc.
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  } catch {
    gcFn = undefined;
  }
  return gcFn;
}

/** Memory of this process after two gc passes. */
export async function inProcessMemory(): Promise<MemorySample> {
  const collect = gc();
  for (let i = 0; i < 2; i++) {
    collect?.();
    await new Promise((r) => setImmediate(r));
  }
  const u = process.memoryUsage();
  return {
    heapUsed: u.heapUsed,
    external: u.external,
    arrayBuffers: u.arrayBuffers,
    rss: u.rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    gc: collect !== undefined,
  };
}

/** Retained bytes the suite bounds: JS heap plus ArrayBuffers (frames live outside the JS heap). */
export function retained(m: MemorySample): number {
  return m.heapUsed + m.arrayBuffers;
}

/** Human-readable MiB. */
export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}
