import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { writeFile } from '../bitstream/file-format.js';
import { writeFramePacket } from '../bitstream/frame-packet.js';
import { MAX_LATENT_DIM } from '../bitstream/constants.js';
import type { StreamParams } from '../bitstream/stream-params.js';
import { cdfTableFromJson } from '../entropy/cdf-table.js';
import { InvalidHeaderError, UnknownModelIdError } from '../errors.js';
import { testLatents } from '../test-support/latents.js';
import { LIGHTING_LENGTH, encodeIdentityLayer } from '../temporal/identity-layer.js';
import { TemporalLatentDecoder } from '../temporal/latent-temporal-stream.js';
import { writeTemporalPacket } from '../temporal/temporal-packet.js';
import { decodeLatentFile, encodeLatentFile } from './latent-file.js';
import { LatentStreamDecoder, LatentStreamEncoder } from './latent-stream.js';
import { SemfaceCodec } from './semface-codec.js';

// Counts the decoders whose size comes from a header: the forged headers below must create none.
const made = vi.hoisted(() => ({ ppm: [] as number[], residual: [] as number[] }));
vi.mock('../entropy/ppm-coder.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../entropy/ppm-coder.js')>();
  class CountedPpmDecoder extends m.PpmDecoder {
    constructor(latentDim: number) {
      made.ppm.push(latentDim);
      super(latentDim);
    }
  }
  return { ...m, PpmDecoder: CountedPpmDecoder };
});
vi.mock('../temporal/residual-coder.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../temporal/residual-coder.js')>();
  class CountedResidualDecoder extends m.ResidualDecoder {
    constructor(channels: number) {
      made.residual.push(channels);
      super(channels);
    }
  }
  return { ...m, ResidualDecoder: CountedResidualDecoder };
});

const fixtureDir = new URL('../models/fixtures/tiny/', import.meta.url);
const ids: string[] = JSON.parse(readFileSync(new URL('manifest.json', fixtureDir), 'utf8')).models.map(
  (m: { id: string }) => m.id,
);
const cdfs = new Map(
  ids.map((id) => [
    id,
    cdfTableFromJson(JSON.parse(readFileSync(new URL(`${id}/cdf.json`, fixtureDir), 'utf8'))),
  ]),
);
const resolve = (id: string) => {
  const c = cdfs.get(id);
  if (!c) throw new UnknownModelIdError(id);
  return c;
};
const known = ids[0]!;
const UNKNOWN = 'deadbeef0001';
const forged = (modelId: string, coder: 'ppm' | 'rans', latentDim = MAX_LATENT_DIM): StreamParams => ({
  modelId,
  profile: 'full',
  rateIndex: 0,
  coder,
  latentDim,
});
/** The 20-byte key frame of the attack: valid CRC, empty payload, any header. */
const forgedKey = (p: StreamParams) =>
  writeFramePacket(p, { sequence: 0, keyFrame: true }, new Uint8Array(0));

function counting<T>(run: () => T): { result: T; ppm: number[]; residual: number[] } {
  made.ppm.length = 0;
  made.residual.length = 0;
  const result = run();
  return { result, ppm: [...made.ppm], residual: [...made.residual] };
}

describe('forged stream headers: checked against the loaded models before any allocation', () => {
  it.each(['ppm', 'rans'] as const)('a %s key frame with an unknown model id', (coder) => {
    const packet = forgedKey(forged(UNKNOWN, coder));
    expect(packet.length).toBe(20);
    const dec = new LatentStreamDecoder(resolve);
    const { ppm } = counting(() => expect(() => dec.decodeFrame(packet)).toThrow(UnknownModelIdError));
    expect(ppm).toEqual([]);
  });

  it.each(['ppm', 'rans'] as const)(
    'a %s key frame of a known model with another latent dimension',
    (coder) => {
      const dec = new LatentStreamDecoder(resolve);
      const { ppm } = counting(() =>
        expect(() => dec.decodeFrame(forgedKey(forged(known, coder)))).toThrow(InvalidHeaderError),
      );
      expect(ppm).toEqual([]);
    },
  );

  it('keeps receivers flat: 16 decoders fed forged ppm key frames hold no context models', () => {
    const decoders = Array.from({ length: 16 }, () => new LatentStreamDecoder(resolve));
    const before = process.memoryUsage().arrayBuffers;
    for (const [i, dec] of decoders.entries()) {
      const id = `deadbeef${i.toString(16).padStart(4, '0')}`;
      expect(() => dec.decodeFrame(forgedKey(forged(id, 'ppm')))).toThrow(UnknownModelIdError);
    }
    // One ppm model at 4096 latents is 12 MiB; before the fix all 16 stayed reachable (192 MiB).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 2 ** 20);
    expect(decoders).toHaveLength(16);
  });

  it('still decodes valid ppm streams with one decoder of the model size', () => {
    const frames = testLatents(3, 256, 9);
    const enc = new LatentStreamEncoder(forged(known, 'ppm', 256));
    const dec = new LatentStreamDecoder(resolve);
    const { result, ppm } = counting(() => frames.map((f) => dec.decodeFrame(enc.encodeFrame(f)).latents));
    expect(result).toEqual(frames);
    expect(ppm).toEqual([256]);
  });

  it.each(['ppm', 'rans'] as const)('batch files (%s): unknown id and mismatched size', (coder) => {
    const unknown = writeFile(forged(UNKNOWN, coder), [new Uint8Array(0)]);
    const mismatched = writeFile(forged(known, coder), [new Uint8Array(0)]);
    const { ppm } = counting(() => {
      expect(() => decodeLatentFile(unknown, resolve)).toThrow(UnknownModelIdError);
      expect(() => decodeLatentFile(mismatched, resolve)).toThrow(InvalidHeaderError);
    });
    expect(ppm).toEqual([]);
    const valid = encodeLatentFile(forged(known, coder, 256), testLatents(2, 256, 4), cdfs.get(known));
    expect(decodeLatentFile(valid, resolve).frames).toEqual(testLatents(2, 256, 4));
  });

  it('the descriptor stream decoder of a codec refuses the forged key frame', async () => {
    const codec = await SemfaceCodec.load({ modelsDir: fileURLToPath(fixtureDir) });
    const dec = codec.createStreamDecoder();
    made.ppm.length = 0;
    await expect(dec.decodeFrame(forgedKey(forged(UNKNOWN, 'ppm')))).rejects.toThrow(UnknownModelIdError);
    await expect(dec.decodeFrame(forgedKey(forged(known, 'ppm')))).rejects.toThrow(InvalidHeaderError);
    expect(made.ppm).toEqual([]);
  });

  it('temporal key packets with unknown model or transform ids: typed error, no model-sized decoder', () => {
    const identity = encodeIdentityLayer(
      { latents: new Int32Array(256), lighting: new Int32Array(LIGHTING_LENGTH) },
      cdfs.get(ids[2]!)!,
    );
    const headers = [
      { motionModelId: UNKNOWN, identityModelId: ids[2]!, lightingStep: 200 },
      { motionModelId: ids[1]!, identityModelId: UNKNOWN, lightingStep: 200 },
      { motionModelId: UNKNOWN, identityModelId: ids[2]!, lightingStep: 200, motionStep: 2000 },
    ];
    for (const header of headers) {
      const packet = writeTemporalPacket({
        kind: 'key',
        sequence: 0,
        header,
        identity,
        motion: new Uint8Array(64),
      });
      const dec = new TemporalLatentDecoder(resolve);
      const { residual } = counting(() => expect(() => dec.decode(packet)).toThrow(UnknownModelIdError));
      // Only the fixed-size lighting coder of a valid identity layer may have been created.
      expect(residual.filter((n) => n !== LIGHTING_LENGTH)).toEqual([]);
      expect(dec.needsKeyFrame).toBe(true);
    }
  });
});
