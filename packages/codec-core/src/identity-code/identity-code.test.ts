import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CodecError, CodecErrorCode } from '../errors.js';
import {
  IDENTITY_CODE_HEADER_BYTES,
  decodeIdentityCode,
  encodeIdentityCode,
  goldenEmbeddings,
  identityCodeLevels,
  identityCodeSimilarity,
  identityCodeVector,
  parseIdentityCodeModel,
} from './index.js';

const fixturePath = fileURLToPath(new URL('./fixtures/tiny.json', import.meta.url));
const json = JSON.parse(readFileSync(fixturePath, 'utf8'));
const model = parseIdentityCodeModel(json);
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const python = `${root}training/.venv/bin/python`;

describe('identity code', () => {
  const faces = goldenEmbeddings(20, model.inputDim, 7);

  it('round-trips levels at every rate point with a fixed packet length', () => {
    for (let r = 0; r < model.ratePoints.length; r++) {
      const rp = model.ratePoints[r]!;
      for (const f of faces) {
        const bytes = encodeIdentityCode(model, f, r);
        expect(bytes.length).toBe(IDENTITY_CODE_HEADER_BYTES + Math.ceil(rp.bits / 8));
        const d = decodeIdentityCode(bytes, model);
        expect(d.rateIndex).toBe(r);
        expect(d.bits).toBe(rp.bits);
        expect([...d.levels]).toEqual([...identityCodeLevels(model, f, r)]);
        d.levels.forEach((l, j) => expect(l).toBeLessThan(1 << rp.bitsPerDim[j]!));
      }
    }
  });

  it('is invariant to the embedding scale and gives similarity 1 to itself', () => {
    const f = faces[0]!;
    const scaled = f.map((v) => v * 4);
    const a = encodeIdentityCode(model, f, 4);
    expect(encodeIdentityCode(model, scaled, 4)).toEqual(a);
    const v = identityCodeVector(model, decodeIdentityCode(a, model));
    expect(identityCodeSimilarity(v, v)).toBeCloseTo(1, 12);
  });

  it('rejects bad headers, lengths and padding with CodecErrors', () => {
    const good = encodeIdentityCode(model, faces[1]!, 3); // 15 bits: 1 padding bit
    const set = (i: number, v: number) => (b: Uint8Array) => {
      b[i < 0 ? b.length + i : i] = v;
      return b;
    };
    const bad = (mut: (b: Uint8Array) => Uint8Array, code: string) => {
      try {
        decodeIdentityCode(mut(good.slice()), model);
        throw new Error('expected a CodecError');
      } catch (err) {
        expect(err).toBeInstanceOf(CodecError);
        expect((err as CodecError).code).toBe(code);
      }
    };
    bad(set(0, 2), CodecErrorCode.unsupportedVersion);
    bad(set(2, good[2]! ^ 1), CodecErrorCode.unknownModelId);
    bad(set(1, 9), CodecErrorCode.invalidHeader);
    bad((b) => b.subarray(0, 3), CodecErrorCode.bitstreamTruncated);
    bad((b) => b.subarray(0, b.length - 1), CodecErrorCode.bitstreamTruncated);
    bad((b) => Uint8Array.from([...b, 0]), CodecErrorCode.corruptPayload);
    bad(set(-1, good[good.length - 1]! | 1), CodecErrorCode.corruptPayload);
  });

  it('rejects invalid embeddings and models', () => {
    expect(() => encodeIdentityCode(model, new Float64Array(model.inputDim), 0)).toThrow(CodecError);
    expect(() => encodeIdentityCode(model, new Float64Array(3), 0)).toThrow(CodecError);
    expect(() => parseIdentityCodeModel({ ...json, version: 2 })).toThrow(CodecError);
    expect(() => parseIdentityCodeModel({ ...json, mean: [1] })).toThrow(CodecError);
  });

  it('fuzz: random and mutated packets raise only CodecErrors', () => {
    let seed = 0x9e3779b9;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed >>>= 0;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      seed >>>= 0;
      return seed % n;
    };
    let ok = 0;
    for (let i = 0; i < 3000; i++) {
      let b = encodeIdentityCode(model, faces[rand(faces.length)]!, rand(model.ratePoints.length));
      if (rand(4) === 0) b = Uint8Array.from({ length: rand(16) }, () => rand(256));
      else if (rand(2) === 0) b = b.subarray(0, rand(b.length + 1));
      else for (let k = 0; k < 1 + rand(4); k++) b[rand(b.length)]! ^= 1 << rand(8);
      try {
        decodeIdentityCode(b, model);
        ok++;
      } catch (err) {
        if (!(err instanceof CodecError)) throw err;
      }
    }
    expect(ok).toBeGreaterThan(0);
  });

  describe.skipIf(!existsSync(python))('Python reference', () => {
    it('encodes byte-identically and decodes to the same vectors', () => {
      const script = [
        'import json,sys',
        'from semface_ref.identity_code import IdentityCodeModel, encode, decode, vector, golden_embeddings',
        `m = IdentityCodeModel(json.load(open(${JSON.stringify(fixturePath)})))`,
        'fs = golden_embeddings(20, m.input_dim, 7)',
        'out = []',
        'for r in range(len(m.rate_points)):',
        '    for f in fs:',
        '        b = encode(m, f, r); ri, lv = decode(m, b); out.append([b.hex(), vector(m, ri, lv)])',
        'print(json.dumps(out))',
      ].join('\n');
      const py = JSON.parse(
        execFileSync(python, ['-c', script], { cwd: `${root}training/reference`, encoding: 'utf8' }),
      ) as [string, number[]][];
      let n = 0;
      for (let r = 0; r < model.ratePoints.length; r++) {
        for (const f of faces) {
          const bytes = encodeIdentityCode(model, f, r);
          const [hex, vec] = py[n++]!;
          expect(Buffer.from(bytes).toString('hex')).toBe(hex);
          expect([...identityCodeVector(model, decodeIdentityCode(bytes, model))]).toEqual(vec);
        }
      }
    });
  });
});
