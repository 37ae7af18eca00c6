import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CoderName,
  LatentStreamEncoder,
  PROFILE_NAMES,
  SemfaceCodec,
  decodeLatentFile,
  encodeLatentFile,
} from '@semface/codec-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenDescriptors, goldenLatents } from './inputs.js';

// Constants mirror training/reference/semface_ref/golden.py.
const LATENT = 256;
const LATENT_FRAMES = 24;
const LATENT_SEED = 0x5eed1234;
const DESCRIPTOR_FRAMES = 16;
const DESCRIPTOR_SEED = 0x0de5c001;
const KEY_FRAME_INTERVAL = 8;

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const modelsDir = join(root, 'packages/codec-core/src/models/fixtures/tiny');
const committed: Record<string, { file: string; bytes: number; sha256: string }> = JSON.parse(
  readFileSync(join(here, 'vectors.json'), 'utf8'),
);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const CODERS: CoderName[] = ['ppm', 'rans'];

async function buildVectors(codec: SemfaceCodec): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const full = codec.paramsFor({ profile: 'full', coder: 'ppm' });
  const cdf = codec.store.cdf(full.modelId);
  const latents = goldenLatents(LATENT_FRAMES, LATENT, LATENT_SEED);
  for (const coder of CODERS) {
    const params = { ...full, coder };
    out.set(`latent-${coder}-file`, encodeLatentFile(params, latents, cdf));
    const enc = new LatentStreamEncoder(params, cdf, { keyFrameInterval: KEY_FRAME_INTERVAL });
    const packets = latents.map((l) => enc.encodeFrame(l));
    out.set(`latent-${coder}-stream`, Buffer.concat(packets));
  }
  const descriptors = goldenDescriptors(DESCRIPTOR_FRAMES, 257, DESCRIPTOR_SEED);
  for (const profile of PROFILE_NAMES) {
    for (const coder of CODERS) {
      out.set(`descriptor-${profile}-${coder}-file`, await codec.encode(descriptors, { profile, coder }));
    }
  }
  return out;
}

describe('golden vectors', () => {
  let codec: SemfaceCodec;
  let vectors: Map<string, Uint8Array>;
  beforeAll(async () => {
    codec = await SemfaceCodec.load({ modelsDir });
    vectors = await buildVectors(codec);
  });

  it('TypeScript output matches the committed sha256 of every vector', () => {
    expect([...vectors.keys()].sort()).toEqual(Object.keys(committed).sort());
    for (const [name, bytes] of vectors) {
      expect({ name, sha256: sha(bytes) }).toEqual({ name, sha256: committed[name]!.sha256 });
    }
  });

  it('committed vector files decode back to the golden inputs', () => {
    const latents = goldenLatents(LATENT_FRAMES, LATENT, LATENT_SEED);
    for (const coder of CODERS) {
      const bytes = readFileSync(join(here, committed[`latent-${coder}-file`]!.file));
      expect(sha(bytes)).toBe(committed[`latent-${coder}-file`]!.sha256);
      const d = decodeLatentFile(bytes, (id) => codec.store.cdf(id));
      expect(d.frames).toEqual(latents);
    }
  });

  describe.skipIf(!existsSync(join(root, 'training/.venv/bin/python')))('Python reference', () => {
    const dir = mkdtempSync(join(tmpdir(), 'semface-golden-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('produces byte-identical vectors', () => {
      execFileSync(
        join(root, 'training/.venv/bin/python'),
        ['-m', 'semface_ref.golden', '--out', dir, '--models', modelsDir],
        {
          cwd: join(root, 'training/reference'),
          stdio: 'pipe',
        },
      );
      for (const [name, bytes] of vectors) {
        const py = readFileSync(join(dir, `${name}.bin`));
        expect({ name, equal: Buffer.compare(py, Buffer.from(bytes)) === 0 }).toEqual({ name, equal: true });
      }
    });
  });
});
