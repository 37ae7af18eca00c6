import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CdfTable,
  DESCRIPTOR_LENGTH,
  FactorizedDecoder,
  FactorizedEncoder,
  PpmDecoder,
  PpmEncoder,
  SemfaceCodec,
} from '@semface/codec-core';
import { bench, describe } from 'vitest';

// Trained models (helper D) when present, else the tiny exact fixture models; goals:
// encode+decode of one descriptor <= 0.5 ms, batched >= 20,000 descriptors/s, rANS >= 10% fewer bits than PPM.
const trained = fileURLToPath(new URL('../packages/codec-core/models/', import.meta.url));
const fixture = fileURLToPath(new URL('../packages/codec-core/src/models/fixtures/tiny/', import.meta.url));
// SEMFACE_BENCH_MODELS overrides (e.g. a training run's output folder).
const modelsDir =
  process.env.SEMFACE_BENCH_MODELS ?? (existsSync(`${trained}manifest.json`) ? trained : fixture);
const codec = await SemfaceCodec.load({ modelsDir });
const params = codec.paramsFor({ profile: 'full' });
const cdf = codec.store.cdf(params.modelId);

let seed = 0x2545f491;
function rand(): number {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
}

/** Latent frames drawn from the model's own prior: the setting the learned CDFs are built for. */
function sampleFromPrior(table: CdfTable, frames: number): Int32Array[] {
  return Array.from({ length: frames }, () => {
    const f = new Int32Array(table.channels);
    for (let c = 0; c < table.channels; c++) {
      const o = table.offset[c]!;
      const k = table.size[c]!;
      const slot = rand() & 0xffff;
      let s = 0;
      while (s < k - 1 && table.cdf[o + s + 1]! <= slot) s++;
      f[c] = table.min[c]! + s;
    }
    return f;
  });
}

const descriptors = Array.from({ length: 4096 }, () =>
  Float32Array.from({ length: DESCRIPTOR_LENGTH }, () => ((rand() % 2001) - 1000) / 512),
);
const one = [descriptors[0]!];
const frames = sampleFromPrior(cdf, 2000);

/** Mean bits per descriptor of each coder over `frames`, coded as files of `run` frames each. */
function bitsPerDescriptor(latents: readonly Int32Array[], run: number): { ppm: number; rans: number } {
  let ppmBytes = 0;
  let ransBytes = 0;
  const rans = new FactorizedEncoder(cdf);
  const ppm = new PpmEncoder(params.latentDim);
  latents.forEach((f, i) => {
    if (i % run === 0) ppm.reset();
    ppmBytes += ppm.encodeFrame(f).length;
    ransBytes += rans.encodeFrame(f).length;
  });
  return { ppm: (ppmBytes * 8) / latents.length, rans: (ransBytes * 8) / latents.length };
}

// Real descriptors (a float32 rows x 257 .npy, e.g. an extractor cache) when SEMFACE_BENCH_NPY names one.
const npyPath = process.env.SEMFACE_BENCH_NPY;
let source = 'latents sampled from the model prior';
let latents = frames;
if (npyPath && existsSync(npyPath)) {
  const { readNpy } = await import('../packages/extractor/dist/index.js');
  const m = await readNpy(npyPath);
  latents = await codec.analyse(
    m.data.subarray(0, Math.min(m.rows, 4000) * DESCRIPTOR_LENGTH),
    codec.store.byId(params.modelId),
  );
  source = `${latents.length} descriptors of ${npyPath}`;
}
process.stdout.write(`\n[codec.bench] models: ${modelsDir} (${params.modelId}, full, rate 0); ${source}\n`);
for (const run of [1, 10, 100, latents.length]) {
  const b = bitsPerDescriptor(latents, run);
  process.stdout.write(
    `[codec.bench] PPM statistics reset every ${run} frames: PPM ${b.ppm.toFixed(1)} bits/descriptor, ` +
      `rans (learned prior) ${b.rans.toFixed(1)} (${(100 * (1 - b.rans / b.ppm)).toFixed(1)}% fewer)\n`,
  );
}

describe('one descriptor, encode + decode', () => {
  bench('batch API, rans', async () => {
    await codec.decode(await codec.encode(one, { coder: 'rans' }));
  });
  bench('batch API, ppm', async () => {
    await codec.decode(await codec.encode(one, { coder: 'ppm' }));
  });
  const enc = codec.createStreamEncoder({ coder: 'ppm', keyFrameInterval: 0 });
  const dec = codec.createStreamDecoder();
  bench('stream frame, ppm', async () => {
    await dec.decodeFrame((await enc.encodeFrame(one[0]!)).packet);
  });
});

describe('batched: 4096 descriptors, encode + decode (descriptors/s = 4096 x hz)', () => {
  bench('rans', async () => {
    await codec.decode(await codec.encode(descriptors, { coder: 'rans' }));
  });
  bench('ppm', async () => {
    await codec.decode(await codec.encode(descriptors, { coder: 'ppm' }));
  });
});

describe('entropy coding only: 100 latent frames, encode + decode', () => {
  const batch = frames.slice(0, 100);
  bench('rans', () => {
    const e = new FactorizedEncoder(cdf);
    const d = new FactorizedDecoder(cdf);
    for (const f of batch) d.decodeFrame(e.encodeFrame(f));
  });
  bench('ppm', () => {
    const e = new PpmEncoder(params.latentDim);
    const d = new PpmDecoder(params.latentDim);
    for (const f of batch) d.decodeFrame(e.encodeFrame(f));
  });
});
