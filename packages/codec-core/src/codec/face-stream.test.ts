import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH } from '../descriptor/layout.js';
import { StreamOrderError } from '../errors.js';
import {
  type EncodedFaceFrame,
  type FaceStreamOptions,
  STREAM_CODINGS,
  STREAM_CODING_NAMES,
  type StreamCoding,
} from './face-stream.js';
import { SemfaceCodec } from './semface-codec.js';

const modelsDir = fileURLToPath(new URL('../models/fixtures/tiny/', import.meta.url));
const descriptor = Float32Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => ((i % 13) - 6) / 4);

/**
 * A test-only coding, defined in one place: every frame is a key frame holding the descriptor as raw
 * float32 values after a one-byte sequence number. Nothing else in codec-core knows about it.
 */
const raw: StreamCoding<{ readonly scale?: number }> = {
  supports: () => true,
  createEncoder(_codec, options) {
    const scale = options.scale ?? 1;
    let sequence = 0;
    return {
      requestKeyFrame() {},
      async encodeFrame(d) {
        const packet = new Uint8Array(1 + 4 * DESCRIPTOR_LENGTH);
        packet[0] = sequence++ & 0xff;
        packet.set(new Uint8Array(Float32Array.from(d, (v) => v * scale).buffer), 1);
        return { kind: 'key', packet, modelId: 'raw', profile: 'full', rateIndex: 0 };
      },
      async reconstruct(frame: EncodedFaceFrame) {
        return new Float32Array(frame.packet.slice(1).buffer);
      },
    };
  },
  createDecoder() {
    let expected: number | undefined;
    return {
      needsKeyFrame: false,
      reportLoss() {},
      async decodeFrame(packet) {
        if (expected !== undefined && packet[0] !== expected) throw new StreamOrderError('gap');
        expected = (packet[0]! + 1) & 0xff;
        const descriptor = new Float32Array(packet.slice(1).buffer);
        return { kind: 'key', sequence: packet[0]!, modelId: 'raw', profile: 'full', descriptor };
      },
    };
  },
};

describe('stream codings: one registry', () => {
  let codec: SemfaceCodec;
  beforeAll(async () => {
    codec = await SemfaceCodec.load({ modelsDir, codings: { ...STREAM_CODINGS, raw } });
  });

  it('lists the shipped codings', () => {
    expect(STREAM_CODING_NAMES).toEqual(['intra', 'temporal']);
  });

  it('a coding added in one place (the registry) round-trips frames through the codec', async () => {
    expect(codec.supportsCoding('raw')).toBe(true);
    const enc = codec.createStreamEncoder({ coding: 'raw', scale: 2 } as unknown as FaceStreamOptions);
    const dec = codec.createStreamDecoder('raw' as 'intra');
    for (let n = 0; n < 3; n++) {
      const f = await enc.encodeFrame(descriptor);
      const out = await dec.decodeFrame(f.packet);
      expect(out).toMatchObject({ kind: 'key', sequence: n, modelId: 'raw', profile: 'full' });
      expect(out.descriptor).toEqual(Float32Array.from(descriptor, (v) => v * 2));
      expect(out.descriptor).toEqual(await enc.reconstruct(f));
    }
  });

  it('the shipped codings go through the same registry; unknown names are refused', async () => {
    for (const coding of STREAM_CODING_NAMES) {
      expect(codec.supportsCoding(coding)).toBe(true);
      const enc = codec.createStreamEncoder({ coding } as FaceStreamOptions);
      const f = await enc.encodeFrame(descriptor);
      const out = await codec.createStreamDecoder(coding).decodeFrame(f.packet);
      expect(out.kind).toBe('key');
      expect(out.modelId).toBe(f.modelId);
      expect(out.descriptor).toEqual(await enc.reconstruct(f));
    }
    const plain = await SemfaceCodec.load({ modelsDir });
    expect(plain.supportsCoding('raw')).toBe(false);
    expect(plain.supportsCoding('constructor')).toBe(false);
    expect(() => plain.createStreamDecoder('raw' as 'intra')).toThrow(RangeError);
  });
});
