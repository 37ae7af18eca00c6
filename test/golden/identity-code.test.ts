import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_IDENTITY_CODE_MODEL_PATH,
  decodeIdentityCode,
  encodeIdentityCode,
  goldenEmbeddings,
  identityCodeLevels,
  parseIdentityCodeModel,
} from '@semface/codec-core';
import { afterAll, describe, expect, it } from 'vitest';

// Constants mirror training/reference/semface_ref/identity_code_golden.py.
const GOLDEN_FACES = 8;
const GOLDEN_SEED = 0x1dc0de01;

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const dir = join(here, 'identity-code');
const committed: Record<string, { file: string; bytes: number; sha256: string }> = JSON.parse(
  readFileSync(join(dir, 'identity-code-vectors.json'), 'utf8'),
);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const model = parseIdentityCodeModel(JSON.parse(readFileSync(DEFAULT_IDENTITY_CODE_MODEL_PATH, 'utf8')));
const faces = goldenEmbeddings(GOLDEN_FACES, model.inputDim, GOLDEN_SEED);

function vectors(): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  model.ratePoints.forEach((_, r) => {
    out.set(`identity-code-r${r}`, Buffer.concat(faces.map((f) => encodeIdentityCode(model, f, r))));
  });
  return out;
}

describe('identity-code golden vectors (shipped model)', () => {
  it('TypeScript output matches the committed sha256 of every vector', () => {
    const v = vectors();
    expect([...v.keys()].sort()).toEqual(Object.keys(committed).sort());
    for (const [name, bytes] of v)
      expect({ name, sha256: sha(bytes) }).toEqual({ name, sha256: committed[name]!.sha256 });
  });

  it('committed files decode to the levels of the golden inputs', () => {
    model.ratePoints.forEach((rp, r) => {
      const bytes = readFileSync(join(dir, `identity-code-r${r}.bin`));
      const size = 4 + Math.ceil(rp.bits / 8);
      expect(bytes.length).toBe(size * GOLDEN_FACES);
      faces.forEach((f, i) => {
        const d = decodeIdentityCode(bytes.subarray(i * size, (i + 1) * size), model);
        expect([...d.levels]).toEqual([...identityCodeLevels(model, f, r)]);
      });
    });
  });

  describe.skipIf(!existsSync(join(root, 'training/.venv/bin/python')))('Python reference', () => {
    const out = mkdtempSync(join(tmpdir(), 'semface-idcode-golden-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));
    it('produces byte-identical vectors', () => {
      execFileSync(
        join(root, 'training/.venv/bin/python'),
        ['-m', 'semface_ref.identity_code_golden', '--model', DEFAULT_IDENTITY_CODE_MODEL_PATH, '--out', out],
        { cwd: join(root, 'training/reference'), stdio: 'pipe' },
      );
      for (const [name, bytes] of vectors()) {
        const py = readFileSync(join(out, `${name}.bin`));
        expect({ name, equal: Buffer.compare(py, Buffer.from(bytes)) === 0 }).toEqual({ name, equal: true });
      }
    });
  });
});
