import { describe, expect, it } from 'vitest';
import { FrameBacklog } from './frame-backlog.js';

/** A decoder that holds each frame until `release()`; records what it got. */
function blockedDecoder() {
  const got: string[] = [];
  let open: () => void = () => {};
  let gate = new Promise<void>((r) => {
    open = r;
  });
  return {
    got,
    decode: async (f: string) => {
      got.push(f);
      await gate;
    },
    release() {
      open();
      gate = Promise.resolve();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('FrameBacklog', () => {
  it('decodes in arrival order, one at a time', async () => {
    const d = blockedDecoder();
    const b = new FrameBacklog(8, d.decode);
    for (const f of ['a', 'b', 'c']) expect(b.push(f)).toBe(true);
    expect(d.got).toEqual(['a']);
    expect(b.waiting).toBe(2);
    d.release();
    await settle();
    expect(d.got).toEqual(['a', 'b', 'c']);
    expect(b.waiting).toBe(0);
  });

  it('never holds more than its limit: frames that supersede nothing are dropped', async () => {
    const d = blockedDecoder();
    const b = new FrameBacklog(3, d.decode);
    const taken = Array.from({ length: 1000 }, (_, i) => b.push(`d${i}`));
    expect(b.waiting).toBe(3);
    expect(taken.filter(Boolean)).toHaveLength(4);
    d.release();
    await settle();
    expect(d.got).toEqual(['d0', 'd1', 'd2', 'd3']);
  });

  it('a full backlog takes a frame in place of the waiting frames it supersedes', async () => {
    const d = blockedDecoder();
    const b = new FrameBacklog(2, d.decode);
    b.push('k0');
    b.push('d1');
    b.push('i2');
    expect(b.push('d3')).toBe(false);
    // Only frames of its kind: the delta stays, the older identity frame goes.
    expect(b.push('i4', (w) => w.startsWith('i'))).toBe(true);
    expect(b.waiting).toBe(2);
    for (let k = 5; k < 500; k++) b.push(`k${k}`, () => true);
    expect(b.waiting).toBe(1);
    d.release();
    await settle();
    expect(d.got).toEqual(['k0', 'k499']);
  });

  it('keeps decoding after a failing frame, and close drops what waits', async () => {
    const got: string[] = [];
    const b = new FrameBacklog(4, async (f: string) => {
      got.push(f);
      if (f === 'bad') throw new Error('boom');
    });
    b.push('bad');
    b.push('ok');
    await settle();
    expect(got).toEqual(['bad', 'ok']);
    const d = blockedDecoder();
    const c = new FrameBacklog(4, d.decode);
    c.push('a');
    c.push('b');
    c.close();
    expect(c.waiting).toBe(0);
    expect(c.push('c')).toBe(false);
    d.release();
    await settle();
    expect(d.got).toEqual(['a']);
  });
});
