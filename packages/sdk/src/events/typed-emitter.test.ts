import { describe, expect, it } from 'vitest';
import { TypedEmitter } from './typed-emitter.js';

interface Events {
  a: number;
  b: { text: string };
}

describe('TypedEmitter', () => {
  it('delivers payloads to listeners in registration order', () => {
    const e = new TypedEmitter<Events>();
    const seen: string[] = [];
    e.on('a', (n) => seen.push(`first ${n}`));
    e.on('a', (n) => seen.push(`second ${n}`));
    e.on('b', (p) => seen.push(p.text));
    expect(e.emit('a', 1)).toBe(true);
    e.emit('b', { text: 'hi' });
    expect(seen).toEqual(['first 1', 'second 1', 'hi']);
  });

  it('returns false when an event has no listeners', () => {
    expect(new TypedEmitter<Events>().emit('a', 1)).toBe(false);
  });

  it('removes listeners through off and the returned function', () => {
    const e = new TypedEmitter<Events>();
    const seen: number[] = [];
    const l = (n: number) => seen.push(n);
    const remove = e.on('a', (n) => seen.push(n * 10));
    e.on('a', l);
    e.emit('a', 1);
    remove();
    e.off('a', l);
    e.emit('a', 2);
    expect(seen).toEqual([10, 1]);
    expect(e.listenerCount('a')).toBe(0);
  });

  it('runs once-listeners once', () => {
    const e = new TypedEmitter<Events>();
    let calls = 0;
    e.once('a', () => calls++);
    e.emit('a', 1);
    e.emit('a', 2);
    expect(calls).toBe(1);
    expect(e.listenerCount('a')).toBe(0);
  });

  it('keeps going when a listener throws and reports the error', () => {
    const errors: Array<[string, unknown]> = [];
    const e = new TypedEmitter<Events>((event, err) => errors.push([event, err]));
    const seen: number[] = [];
    const boom = new Error('boom');
    e.on('a', () => {
      throw boom;
    });
    e.on('a', (n) => seen.push(n));
    expect(() => e.emit('a', 7)).not.toThrow();
    expect(seen).toEqual([7]);
    expect(errors).toEqual([['a', boom]]);
  });

  it('does not call listeners added during an emit in the same round', () => {
    const e = new TypedEmitter<Events>();
    const seen: string[] = [];
    e.on('a', () => {
      seen.push('outer');
      e.on('a', () => seen.push('inner'));
    });
    e.emit('a', 1);
    expect(seen).toEqual(['outer']);
    e.emit('a', 2);
    expect(seen).toEqual(['outer', 'outer', 'inner']);
  });

  it('removeAllListeners clears one event or all', () => {
    const e = new TypedEmitter<Events>();
    e.on('a', () => {});
    e.on('b', () => {});
    e.removeAllListeners('a');
    expect(e.listenerCount('a')).toBe(0);
    expect(e.listenerCount('b')).toBe(1);
    e.removeAllListeners();
    expect(e.listenerCount('b')).toBe(0);
  });

  it('rejects non-function listeners with TypeError', () => {
    const e = new TypedEmitter<Events>();
    expect(() => e.on('a', 3 as unknown as () => void)).toThrow(TypeError);
  });
});
