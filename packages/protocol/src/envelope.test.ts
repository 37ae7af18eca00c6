import { describe, expect, it } from 'vitest';
import { CloseCode } from './close-codes.js';
import {
  ENVELOPE_BODIES,
  decodeBusMessage,
  decodeEnvelope,
  encodeBusMessage,
  encodeEnvelope,
  pb,
} from './envelope.js';
import { RELAY_ERROR_CLOSE_CODE, RelayErrorCode } from './error-codes.js';
import { EnvelopeDecodeError, EnvelopeEmptyError } from './errors.js';
import { FrameKind, frameKindName, isReliableKind } from './frame-kind.js';
import { isValidRoomName } from './limits.js';

describe('envelope codec', () => {
  it('round-trips a frame with 64-bit fields as plain numbers', () => {
    const bytes = encodeEnvelope({
      frame: {
        stream: 2,
        seq: 123456,
        captureTimeUs: 1_732_547_000_123_456,
        kind: FrameKind.key,
        profile: 1,
        modelId: 'gdn-v1',
        payload: new Uint8Array([1, 2, 3]),
      },
    });
    const env = decodeEnvelope(bytes);
    expect(env.body).toBe('frame');
    expect(env.frame?.seq).toBe(123456);
    expect(env.frame?.captureTimeUs).toBe(1_732_547_000_123_456);
    expect(typeof env.frame?.relayTimeUs).toBe('number');
    expect(Array.from(env.frame?.payload ?? [])).toEqual([1, 2, 3]);
  });

  it('names every oneof member of Envelope', () => {
    for (const name of ENVELOPE_BODIES) {
      expect(decodeEnvelope(encodeEnvelope({ [name]: {} })).body).toBe(name);
    }
    expect(ENVELOPE_BODIES.length).toBe(13);
  });

  it('rejects garbage and empty envelopes with typed errors', () => {
    expect(() => decodeEnvelope(new Uint8Array([0x0a, 0xff, 0xff, 0xff]))).toThrow(EnvelopeDecodeError);
    expect(() => decodeEnvelope(new Uint8Array(0))).toThrow(EnvelopeEmptyError);
  });

  it('round-trips a bus message', () => {
    const inner = encodeEnvelope({ ping: { nonce: 7 } });
    const b = decodeBusMessage(encodeBusMessage({ originNode: 'n1', envelope: inner }));
    expect(b.originNode).toBe('n1');
    expect(decodeEnvelope(b.envelope).ping?.nonce).toBe(7);
  });
});

describe('wire constants', () => {
  it('pairs every error with a distinct 4000-4999 close code', () => {
    const codes = Object.values(RELAY_ERROR_CLOSE_CODE);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(RELAY_ERROR_CLOSE_CODE).sort()).toEqual(Object.keys(RelayErrorCode).sort());
    for (const c of codes) expect(c >= 4000 && c <= 4999).toBe(true);
    expect(CloseCode.goingAway).toBe(1001);
  });

  it('matches the generated FrameKind enum', () => {
    expect(FrameKind.key).toBe(pb.FrameKind.FRAME_KIND_KEY);
    expect(FrameKind.delta).toBe(pb.FrameKind.FRAME_KIND_DELTA);
    expect(FrameKind.identity).toBe(pb.FrameKind.FRAME_KIND_IDENTITY);
    expect(frameKindName(0)).toBeUndefined();
    expect(isReliableKind(FrameKind.delta)).toBe(false);
    expect(isReliableKind(FrameKind.identity)).toBe(true);
  });

  it('accepts only subject-safe room names', () => {
    expect(isValidRoomName('room_1-a')).toBe(true);
    expect(isValidRoomName('a.b')).toBe(false);
    expect(isValidRoomName('')).toBe(false);
    expect(isValidRoomName('x'.repeat(65))).toBe(false);
  });
});
