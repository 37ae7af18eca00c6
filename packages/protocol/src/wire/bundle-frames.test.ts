import { describe, expect, it } from 'vitest';
import { FrameKind } from '../frame-kind.js';
import { decodeBundle, encodeBundle } from './bundle.js';
import { compressBundleEntries, expandBundleEntries } from './bundle-frames.js';
import { CompactFrameError, decodeCompactFrame, encodeCompactFrame } from './compact-frame.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const frame = (track: number, seq: number, timeMs16: number, kind: 1 | 2 = FrameKind.delta) =>
  encodeCompactFrame({ kind, track, seq, timeMs16, payload: new Uint8Array([seq, track]) });

describe('follow-on frames in bundles', () => {
  it('shortens the next frame of a track to 3 bytes of framing (golden) and expands it back', () => {
    const entries = [
      frame(3, 10, 1000, FrameKind.key),
      frame(3, 11, 1040),
      frame(200, 0, 1041),
      frame(3, 12, 1080),
    ];
    const packed = compressBundleEntries(entries);
    expect(packed.map(hex)).toEqual([hex(entries[0]!), 'b003280b03', hex(entries[2]!), 'b003280c03']);
    const bundle = encodeBundle(packed);
    expect(expandBundleEntries(decodeBundle(bundle)).map(hex)).toEqual(entries.map(hex));
  });

  it('keeps frames whole across a sequence gap, a time step over 255 ms and the 16-bit time wrap', () => {
    const entries = [frame(1, 5, 65_500), frame(1, 6, 65_530), frame(1, 8, 30), frame(1, 9, 400)];
    const packed = compressBundleEntries(entries);
    expect(packed.map((e) => e.length)).toEqual([7, 5, 7, 7]);
    expect(expandBundleEntries(packed).map((e) => decodeCompactFrame(e).timeMs16)).toEqual([
      65_500, 65_530, 30, 400,
    ]);
  });

  it('refuses a follow-on frame without an earlier frame of its track, and outside a bundle', () => {
    const [, short] = compressBundleEntries([frame(2, 1, 0), frame(2, 2, 40)]);
    expect(() => expandBundleEntries([short!])).toThrow(CompactFrameError);
    expect(() => decodeCompactFrame(short!)).toThrow(CompactFrameError);
  });
});
