import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../bitstream/crc32.js';
import type { StreamParams } from '../bitstream/stream-params.js';
import { cdfTableFromJson } from '../entropy/cdf-table.js';
import { CodecError, UnknownModelIdError } from '../errors.js';
import { decodeIdentityCode, encodeIdentityCode } from '../identity-code/codec.js';
import { goldenEmbeddings } from '../identity-code/golden-inputs.js';
import { parseIdentityCodeModel } from '../identity-code/model.js';
import { testLatents } from '../test-support/latents.js';
import { decodeLatentFile, encodeLatentFile } from './latent-file.js';
import { LatentStreamDecoder, LatentStreamEncoder } from './latent-stream.js';

const fixtureDir = new URL('../models/fixtures/tiny/', import.meta.url);
const id: string = JSON.parse(readFileSync(new URL('manifest.json', fixtureDir), 'utf8')).models[0].id;
const cdf = cdfTableFromJson(JSON.parse(readFileSync(new URL(`${id}/cdf.json`, fixtureDir), 'utf8')));
const resolve = (m: string) => {
  if (m !== id) throw new UnknownModelIdError(m);
  return cdf;
};

let seed = 0x1234567;
function rand(n: number): number {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
}

/** One random corruption; with `fixCrc` the trailing CRC-32 is recomputed so payload decoders get exercised. */
function mutate(src: Uint8Array, fixCrc: boolean): Uint8Array {
  let b = src.slice();
  switch (rand(5)) {
    case 0: {
      const flips = 1 + rand(8);
      for (let i = 0; i < flips; i++) b[rand(b.length)]! ^= 1 << rand(8);
      break;
    }
    case 1:
      b = b.subarray(0, rand(b.length));
      break;
    case 2: {
      const at = rand(b.length + 1);
      const ins = Uint8Array.from({ length: 1 + rand(16) }, () => rand(256));
      const out = new Uint8Array(b.length + ins.length);
      out.set(b.subarray(0, at));
      out.set(ins, at);
      out.set(b.subarray(at), at + ins.length);
      b = out;
      break;
    }
    case 3: {
      const start = rand(b.length);
      const n = 1 + rand(32);
      for (let i = start; i < Math.min(b.length, start + n); i++) b[i] = rand(256);
      break;
    }
    default:
      b = Uint8Array.from({ length: rand(600) }, () => rand(256));
  }
  if (fixCrc && b.length >= 8) {
    new DataView(b.buffer, b.byteOffset).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
  }
  return b;
}

function expectOnlyCodecErrors(run: () => unknown): 'ok' | 'error' {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    expect(err.code).toMatch(/^SEMFACE_ERR_/);
    return 'error';
  }
}

describe('fuzz: mutated streams raise only CodecError subclasses', () => {
  const frames = testLatents(6, 256, 5);
  const base: StreamParams = { modelId: id, profile: 'full', rateIndex: 0, coder: 'ppm', latentDim: 256 };

  it.each(['ppm', 'rans'] as const)('batch files (%s), 3000 mutations', (coder) => {
    const good = encodeLatentFile({ ...base, coder }, frames, cdf);
    const counts = { ok: 0, error: 0 };
    for (let i = 0; i < 3000; i++) {
      counts[expectOnlyCodecErrors(() => decodeLatentFile(mutate(good, i % 2 === 0), resolve))]++;
    }
    expect(counts.error).toBeGreaterThan(2000);
  });

  it.each(['ppm', 'rans'] as const)('frame packets (%s), 2500 mutations', (coder) => {
    const enc = new LatentStreamEncoder({ ...base, coder }, cdf, { keyFrameInterval: 2 });
    const packets = frames.map((f) => enc.encodeFrame(f));
    const counts = { ok: 0, error: 0 };
    for (let i = 0; i < 2500; i++) {
      const dec = new LatentStreamDecoder(resolve);
      const k = rand(packets.length);
      // Feed a valid prefix so delta frames reach the adaptive decoder, then one mutated packet.
      const start = k - (k % 2);
      for (let j = start; j < k; j++) dec.decodeFrame(packets[j]!);
      counts[expectOnlyCodecErrors(() => dec.decodeFrame(mutate(packets[k]!, i % 2 === 0)))]++;
    }
    expect(counts.error).toBeGreaterThan(1500);
  });

  it('identity-code packets (every rate point of the tiny model), 3000 mutations', () => {
    const idModel = parseIdentityCodeModel(
      JSON.parse(readFileSync(new URL('../identity-code/fixtures/tiny.json', import.meta.url), 'utf8')),
    );
    const faces = goldenEmbeddings(8, idModel.inputDim, 3);
    const counts = { ok: 0, error: 0 };
    for (let i = 0; i < 3000; i++) {
      const good = encodeIdentityCode(idModel, faces[rand(faces.length)]!, rand(idModel.ratePoints.length));
      counts[expectOnlyCodecErrors(() => decodeIdentityCode(mutate(good, false), idModel))]++;
    }
    expect(counts.error).toBeGreaterThan(1000);
  });
});
