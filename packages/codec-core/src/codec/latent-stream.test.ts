import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamParams } from '../bitstream/stream-params.js';
import { parseFramePacket } from '../bitstream/frame-packet.js';
import { cdfTableFromJson } from '../entropy/cdf-table.js';
import { StreamOrderError, UnknownModelIdError } from '../errors.js';
import { testLatents } from '../test-support/latents.js';
import { decodeLatentFile, encodeLatentFile } from './latent-file.js';
import { LatentStreamDecoder, LatentStreamEncoder } from './latent-stream.js';

const fixtureDir = new URL('../models/fixtures/tiny/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', fixtureDir), 'utf8'));
const id: string = manifest.models[0].id;
const cdf = cdfTableFromJson(JSON.parse(readFileSync(new URL(`${id}/cdf.json`, fixtureDir), 'utf8')));
const resolve = (m: string) => {
  if (m !== id) throw new UnknownModelIdError(m);
  return cdf;
};
const ppm: StreamParams = { modelId: id, profile: 'full', rateIndex: 0, coder: 'ppm', latentDim: 256 };
const frames = testLatents(12, 256, 11);

describe('latent batch file', () => {
  it.each(['ppm', 'rans'] as const)('round-trips with %s', (coder) => {
    const bytes = encodeLatentFile({ ...ppm, coder }, frames, cdf);
    const d = decodeLatentFile(bytes, resolve);
    expect(d.frames).toEqual(frames);
    expect(d.payloadBytes.reduce((a, b) => a + b, 0) + d.overheadBytes).toBe(bytes.length);
  });

  it('reports unknown model ids for rans', () => {
    const bytes = encodeLatentFile({ ...ppm, coder: 'rans', modelId: 'aaaaaaaaaaaa' }, frames, cdf);
    expect(() => decodeLatentFile(bytes, resolve)).toThrow(UnknownModelIdError);
  });
});

describe('latent stream', () => {
  it('decodes frame by frame and marks key frames', () => {
    const enc = new LatentStreamEncoder(ppm, undefined, { keyFrameInterval: 5 });
    const dec = new LatentStreamDecoder(resolve);
    const keys: boolean[] = [];
    for (const f of frames) {
      const out = dec.decodeFrame(enc.encodeFrame(f));
      expect(out.latents).toEqual(f);
      keys.push(out.keyFrame);
    }
    expect(keys.map((k, i) => (k ? i : -1)).filter((i) => i >= 0)).toEqual([0, 5, 10]);
  });

  it('refuses delta frames out of order and resynchronises on the next key frame', () => {
    const enc = new LatentStreamEncoder(ppm, undefined, { keyFrameInterval: 4 });
    const packets = frames.map((f) => enc.encodeFrame(f));
    const dec = new LatentStreamDecoder(resolve);
    expect(() => dec.decodeFrame(packets[1]!)).toThrow(StreamOrderError);
    dec.decodeFrame(packets[0]!);
    expect(() => dec.decodeFrame(packets[2]!)).toThrow(StreamOrderError);
    expect(() => dec.decodeFrame(packets[3]!)).toThrow(StreamOrderError);
    expect(dec.decodeFrame(packets[4]!).latents).toEqual(frames[4]);
    expect(dec.decodeFrame(packets[5]!).latents).toEqual(frames[5]);
  });

  it('lets a receiver join at a requested key frame', () => {
    const enc = new LatentStreamEncoder(ppm);
    for (const f of frames.slice(0, 3)) enc.encodeFrame(f);
    enc.requestKeyFrame();
    const dec = new LatentStreamDecoder(resolve);
    const out = dec.decodeFrame(enc.encodeFrame(frames[3]!));
    expect(out).toMatchObject({ keyFrame: true, sequence: 3 });
    expect(dec.decodeFrame(enc.encodeFrame(frames[4]!)).latents).toEqual(frames[4]);
  });

  it('lets rans frames skip lost frames, but not ppm frames', () => {
    const rans = new LatentStreamEncoder({ ...ppm, coder: 'rans' }, cdf);
    const dec = new LatentStreamDecoder(resolve);
    const packets = frames.map((f) => rans.encodeFrame(f));
    expect(dec.decodeFrame(packets[0]!)).toMatchObject({ keyFrame: true, latents: frames[0] });
    expect(dec.decodeFrame(packets[7]!)).toMatchObject({ keyFrame: false, sequence: 7, latents: frames[7] });
    const ppmEnc = new LatentStreamEncoder(ppm);
    const ppmDec = new LatentStreamDecoder(resolve);
    const ppmPackets = frames.map((f) => ppmEnc.encodeFrame(f));
    ppmDec.decodeFrame(ppmPackets[0]!);
    expect(() => ppmDec.decodeFrame(ppmPackets[2]!)).toThrow(StreamOrderError);
  });

  it('keeps delta packets small: no params, 9 bytes of framing', () => {
    const enc = new LatentStreamEncoder(ppm);
    const key = enc.encodeFrame(frames[0]!);
    const delta = enc.encodeFrame(frames[1]!);
    const payload = (bytes: Uint8Array) => parseFramePacket(bytes).payload.length;
    expect(key.length - payload(key)).toBe(20 + (payload(key) >= 128 ? 1 : 0));
    expect(delta.length - payload(delta)).toBe(9 + (payload(delta) >= 128 ? 1 : 0));
  });

  it('validates options', () => {
    expect(() => new LatentStreamEncoder(ppm, undefined, { keyFrameInterval: -1 })).toThrow(RangeError);
    expect(() => new LatentStreamEncoder(ppm, undefined, { keyFrameInterval: 1.5 })).toThrow(TypeError);
  });
});
