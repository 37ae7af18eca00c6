import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RelayMetrics } from '../metrics/relay-metrics.js';
import { installProcessGuards } from './process-guards.js';

function fakeServer() {
  let closed = 0;
  return {
    log: pino({ level: 'silent' }),
    metrics: new RelayMetrics(),
    close: async () => {
      closed++;
    },
    get closed() {
      return closed;
    },
  };
}

const count = async (m: RelayMetrics, kind: string) =>
  (await m.processFaults.get()).values.find((v) => v.labels.kind === kind)?.value ?? 0;

describe('installProcessGuards', () => {
  it('counts stray rejections and exceptions and keeps serving', async () => {
    const proc = new EventEmitter() as unknown as NodeJS.Process;
    const s = fakeServer();
    const exits: number[] = [];
    const remove = installProcessGuards(s, { exit: (c) => exits.push(c) }, proc);
    proc.emit('unhandledRejection', new Error('stray'));
    proc.emit('uncaughtException', new Error('stray'));
    expect(await count(s.metrics, 'unhandled_rejection')).toBe(1);
    expect(await count(s.metrics, 'uncaught_exception')).toBe(1);
    expect(s.closed).toBe(0);
    expect(exits).toEqual([]);
    remove();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
  });

  it('drains and exits 1 after a burst of uncaught exceptions', async () => {
    const proc = new EventEmitter() as unknown as NodeJS.Process;
    const s = fakeServer();
    const exits: number[] = [];
    installProcessGuards(s, { maxUncaughtPerMinute: 2, exit: (c) => exits.push(c) }, proc);
    for (let i = 0; i < 4; i++) proc.emit('uncaughtException', new Error(`e${i}`));
    await new Promise((r) => setTimeout(r, 10));
    expect(s.closed).toBe(1);
    expect(exits).toEqual([1]);
  });

  it('validates its option', () => {
    const proc = new EventEmitter() as unknown as NodeJS.Process;
    expect(() => installProcessGuards(fakeServer(), { maxUncaughtPerMinute: 0 }, proc)).toThrow(RangeError);
  });
});
