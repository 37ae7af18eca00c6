import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, profileIndices } from '@semface/codec-core';
import { readNpy, writeNpy } from '@semface/extractor';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';

// The tiny fixture models of codec-core (exact scaled selections, y = 4x) keep the test model-agnostic.
const models = fileURLToPath(new URL('../../../codec-core/src/models/fixtures/tiny/', import.meta.url));

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), out };
  } finally {
    spy.mockRestore();
  }
}

describe('semface encode / decode / inspect', () => {
  let dir: string;
  const rows = 20;
  const data = Float32Array.from(
    { length: rows * DESCRIPTOR_LENGTH },
    (_, i) => (((i * 7919) % 2001) - 1000) / 256,
  );
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-cli-codec-'));
    await writeNpy(join(dir, 'in.npy'), { rows, cols: DESCRIPTOR_LENGTH, data });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['ppm', 'rans'])('round-trips through an .sfc file (%s)', async (coder) => {
    const sfc = join(dir, `out-${coder}.sfc`);
    const rec = join(dir, `rec-${coder}.npy`);
    const enc = await capture([
      'encode',
      join(dir, 'in.npy'),
      '-o',
      sfc,
      '--profile',
      'identity',
      '--coder',
      coder,
      '--models',
      models,
    ]);
    expect(enc.code).toBe(0);
    expect(enc.out).toContain(`${rows} descriptors`);
    const info = await capture(['inspect', sfc]);
    expect(info.out).toContain(`coder:        ${coder}`);
    expect(info.out).toContain('profile:      identity');
    expect(info.out).toContain(`frames:       ${rows}`);
    expect((await capture(['decode', sfc, '-o', rec, '--models', models])).code).toBe(0);
    const out = await readNpy(rec);
    expect(out.rows).toBe(rows);
    const kept = new Set(profileIndices('identity'));
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
        const k = r * DESCRIPTOR_LENGTH + i;
        expect(out.data[k]).toBe(kept.has(i) ? Math.floor(4 * data[k]! + 0.5) / 4 : 0);
      }
    }
    expect((await readFile(sfc)).subarray(0, 4).toString()).toBe('SFC1');
  });

  it('streams frame packets with --stream and decodes them back', async () => {
    const sfc = join(dir, 'stream.sfc');
    const rec = join(dir, 'stream.npy');
    const args = [
      'encode',
      join(dir, 'in.npy'),
      '-o',
      sfc,
      '--stream',
      '--key-interval',
      '5',
      '--coder',
      'ppm',
    ];
    expect((await capture([...args, '--models', models])).code).toBe(0);
    const info = await capture(['inspect', sfc]);
    expect(info.out).toContain('frame packets v1 (CRC-32 ok), 4 key frames');
    expect(info.out).toContain(`frames:       ${rows}`);
    expect((await capture(['decode', sfc, '-o', rec, '--models', models])).code).toBe(0);
    const out = await readNpy(rec);
    expect(out.rows).toBe(rows);
    expect(out.data[3]).toBe(Math.floor(4 * data[3]! + 0.5) / 4);
  });

  it('sends a partial profile through a full model with --model-profile full', async () => {
    const sfc = join(dir, 'identity-via-full.sfc');
    const rec = join(dir, 'identity-via-full.npy');
    const enc = await capture([
      'encode',
      join(dir, 'in.npy'),
      '-o',
      sfc,
      '--profile',
      'identity',
      '--model-profile',
      'full',
      '--models',
      models,
    ]);
    expect(enc.code).toBe(0);
    expect(enc.out).toContain('identity (full model) rate 0');
    expect((await capture(['inspect', sfc])).out).toContain('profile:      identity');
    expect((await capture(['decode', sfc, '-o', rec, '--models', models])).code).toBe(0);
    const out = await readNpy(rec);
    const kept = new Set(profileIndices('identity'));
    for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
      expect(out.data[i]).toBe(kept.has(i) ? Math.floor(4 * data[i]! + 0.5) / 4 : 0);
    }
    await expect(
      main(['encode', join(dir, 'in.npy'), '-o', sfc, '--profile', 'full', '--model-profile', 'identity']),
    ).rejects.toThrow(RangeError);
  });

  it('rejects an unknown coder with RangeError', async () => {
    await expect(
      main(['encode', join(dir, 'in.npy'), '-o', join(dir, 'x.sfc'), '--coder', 'zip']),
    ).rejects.toThrow(RangeError);
  });
});
