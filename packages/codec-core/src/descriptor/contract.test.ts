import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_LATENT_MAGNITUDE } from '../entropy/signed-map.js';
import { dequantize, quantize } from '../quant/quantize.js';
import {
  DESCRIPTOR_FIELD_NAMES,
  DESCRIPTOR_LENGTH,
  DescriptorField,
  PROFILE_NAMES,
  Profile,
  type ProfileName,
  profileIndices,
} from './layout.js';

// The data contract shared with Python training (training/codec/layout.py, training/codec/quantise.py).
const pkg = new URL('../../', import.meta.url);
const contractPath = new URL('contracts/descriptor-layout.json', pkg);
const parityPath = new URL('contracts/quantise-parity.json', pkg);
const generator = fileURLToPath(new URL('scripts/generate-contracts.mjs', pkg));

interface Contract {
  descriptorLength: number;
  fields: { name: string; start: number; end: number }[];
  profiles: { name: string; fields: string[] }[];
  quantisation: { rule: string; rounding: string; arithmetic: string; maxMagnitude: number };
}

interface ParityVectors {
  about: string;
  seed: number;
  rows: number[][];
  indices: Record<string, number[]>;
  q: Record<string, number[][]>;
}

const contract = JSON.parse(readFileSync(contractPath, 'utf8')) as Contract;

/** mulberry32: a small seeded PRNG (the inputs are stored in the parity file; Python only reads them). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Next float32 above (`dir` 1) or below (`dir` -1) a float32 value. */
function nextFloat32(v: number, dir: 1 | -1): number {
  const f = new Float32Array([v]);
  const i = new Int32Array(f.buffer);
  if (v === 0) return dir * 2 ** -149;
  i[0] = i[0]! + (v > 0 === dir > 0 ? 1 : -1);
  return f[0]!;
}

/**
 * Seeded descriptors-as-latents that stress the rule: Gaussian rows from 0.3 to 6e6 spread with
 * exact ties every 7th value, and two rows cycling through ties, their float32 neighbours (including
 * 0.5 - 2^-25, which float32 arithmetic would round up) and the clamp bounds.
 */
function parityRows(seed: number): number[][] {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const rows: number[][] = [];
  for (const spread of [0.3, 1, 8, 300, 2e5, 6e6]) {
    rows.push(
      Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => {
        const v = normal() * spread;
        return Math.fround(i % 7 === 3 ? Math.floor(v) + 0.5 : v);
      }),
    );
  }
  const edges: number[] = [0, -0, 1e-30, -1e-30];
  for (const t of [0.5, 1.5, 2.5, 1023.5, 1048575.5, 4194302.5]) {
    for (const s of [1, -1]) edges.push(s * t, nextFloat32(s * t, -1), nextFloat32(s * t, 1));
  }
  for (const m of [4194303, 4194303.5, 4194304, 4194304.5, 8388608, 1e9, 3.4e38]) edges.push(m, -m);
  const cycle = edges.map((v) => Math.fround(v));
  rows.push(Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => cycle[i % cycle.length]!));
  rows.push(
    Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => cycle[cycle.length - 1 - (i % cycle.length)]!),
  );
  return rows;
}

/** The TypeScript round trip: profile gather -> quantize -> dequantize -> scatter back. */
function roundTrip(rows: number[][]): Pick<ParityVectors, 'indices' | 'q'> {
  const indices: Record<string, number[]> = {};
  const q: Record<string, number[][]> = {};
  for (const profile of PROFILE_NAMES) {
    const idx = profileIndices(profile);
    indices[profile] = Array.from(idx);
    q[profile] = rows.map((row) => {
      const x = Float32Array.from(row);
      const latents = quantize(Float32Array.from(idx, (i) => x[i]!));
      const back = new Float32Array(DESCRIPTOR_LENGTH);
      const values = dequantize(latents);
      idx.forEach((i, k) => {
        back[i] = values[k]!;
      });
      return Array.from(idx, (i) => back[i]!);
    });
  }
  return { indices, q };
}

describe('data contract (contracts/descriptor-layout.json)', () => {
  it('the generated TypeScript is up to date (scripts/generate-contracts.mjs --check)', () => {
    const r = spawnSync(process.execPath, [generator, '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('layout.ts exports exactly the contract', () => {
    expect(DESCRIPTOR_LENGTH).toBe(contract.descriptorLength);
    expect(DESCRIPTOR_FIELD_NAMES).toEqual(contract.fields.map((f) => f.name));
    for (const f of contract.fields) {
      expect(DescriptorField[f.name as keyof typeof DescriptorField]).toEqual({ start: f.start, end: f.end });
    }
    expect(PROFILE_NAMES).toEqual(contract.profiles.map((p) => p.name));
    for (const p of contract.profiles) expect(Profile[p.name as ProfileName]).toEqual(p.fields);
    expect(Object.isFrozen(PROFILE_NAMES)).toBe(true);
  });

  it('quantize implements the contract rule: floor(y + 0.5) in float64, clamped to maxMagnitude', () => {
    expect(contract.quantisation).toMatchObject({
      rule: 'floor(y + 0.5)',
      rounding: 'half-up',
      arithmetic: 'float64',
    });
    expect(MAX_LATENT_MAGNITUDE).toBe(contract.quantisation.maxMagnitude);
    expect(MAX_LATENT_MAGNITUDE).toBe(2 ** 22 - 1);
    const m = contract.quantisation.maxMagnitude;
    const y = Float32Array.from([
      0.5,
      -0.5,
      1.5,
      -1.5,
      2.5,
      -2.5,
      0.5 - 2 ** -25,
      m + 0.5,
      -m - 0.5,
      1e9,
      -1e9,
    ]);
    expect(Array.from(quantize(y))).toEqual([1, 0, 2, -1, 3, -2, 0, m, -m, m, -m]);
  });

  it('parity vectors: the TS round trip gives the committed integers (Python checks the same file)', () => {
    const seed = 0x5ec0_0e12;
    const rows = parityRows(seed);
    const fresh: ParityVectors = {
      about:
        'Seeded float32 inputs and their integers through codec-core (profileIndices, quantize); ' +
        'written by src/descriptor/contract.test.ts with SEMFACE_UPDATE_CONTRACTS=1; ' +
        'training/codec/tests/test_contract.py checks Python gives the same.',
      seed,
      rows,
      ...roundTrip(rows),
    };
    if (process.env.SEMFACE_UPDATE_CONTRACTS === '1') {
      writeFileSync(parityPath, `${JSON.stringify(fresh)}\n`);
    }
    const committed = JSON.parse(readFileSync(parityPath, 'utf8')) as ParityVectors;
    expect(committed.rows).toEqual(rows.map((row) => row.map((v) => (Object.is(v, -0) ? 0 : v))));
    expect(committed.indices).toEqual(fresh.indices);
    expect(committed.q).toEqual(fresh.q);
  });
});
