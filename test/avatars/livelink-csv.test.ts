import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH } from '@semface/codec-core';
import { LIVE_LINK_CSV_HEADER, parseLiveLinkCsv } from '@semface/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODELS_DIR, makeDescriptor } from '../sdk/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');

/** A float32 C-order .npy of `rows` x 257. */
function writeNpy(path: string, rows: Float32Array[]): void {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows.length}, ${DESCRIPTOR_LENGTH}), }`;
  // Magic (6) + version (2) + length (2) + header, padded with spaces and a newline to 64 bytes.
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(total - 10 - dict.length - 1)}\n`;
  const pre = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  const len = Buffer.alloc(2);
  len.writeUInt16LE(header.length);
  const data = Buffer.alloc(rows.length * DESCRIPTOR_LENGTH * 4);
  rows.forEach((r, i) =>
    Buffer.from(r.buffer, r.byteOffset, r.byteLength).copy(data, i * DESCRIPTOR_LENGTH * 4),
  );
  writeFileSync(path, Buffer.concat([pre, len, Buffer.from(header, 'latin1'), data]));
}

describe('semface decode --format livelink-csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semface-livelink-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a Live Link Face CSV with the expected header and one row per frame', () => {
    const n = 37;
    // Descriptors with small expression coefficients (the fixture codec keeps every value within 0.125).
    const rows = Array.from({ length: n }, (_, i) => makeDescriptor(i).map((v) => v / 2));
    writeNpy(join(dir, 'in.npy'), rows);
    const run = (...args: string[]) => execFileSync('node', [cli, ...args], { encoding: 'utf8' });
    run('encode', join(dir, 'in.npy'), '-o', join(dir, 'take.sfc'), '--models', FIXTURE_MODELS_DIR);
    const out = run(
      'decode',
      join(dir, 'take.sfc'),
      '-o',
      join(dir, 'take.csv'),
      '--format',
      'livelink-csv',
      '--fps',
      '30',
      '--models',
      FIXTURE_MODELS_DIR,
    );
    expect(out).toMatch(/37 Live Link Face rows at 30 fps/);
    const text = readFileSync(join(dir, 'take.csv'), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(LIVE_LINK_CSV_HEADER);
    expect(lines[0]!.split(',')).toHaveLength(63);
    expect(lines).toHaveLength(n + 1);
    const take = parseLiveLinkCsv(text, 30);
    expect(take.rows).toHaveLength(n);
    expect(take.curves.slice(-9)).toEqual([
      'HeadYaw',
      'HeadPitch',
      'HeadRoll',
      'LeftEyeYaw',
      'LeftEyePitch',
      'LeftEyeRoll',
      'RightEyeYaw',
      'RightEyePitch',
      'RightEyeRoll',
    ]);
    take.rows.forEach((r, i) => {
      expect(r.seconds).toBeCloseTo(i / 30, 3);
      expect(lines[i + 1]!.split(',')[1]).toBe('61');
      for (const w of Object.values(r.arkit)) expect(w).toSatisfy((v: number) => v >= 0 && v <= 1);
    });
    // The weights follow the stream: not every frame the same.
    expect(new Set(take.rows.map((r) => r.arkit.jawOpen.toFixed(3))).size).toBeGreaterThan(5);
  });

  it('encode --from-livelink imports a take: one descriptor per row, weights close to the take', () => {
    const run = (...args: string[]) => execFileSync('node', [cli, ...args], { encoding: 'utf8' });
    const out = run(
      'encode',
      '--from-livelink',
      join(dir, 'take.csv'),
      '-o',
      join(dir, 'imported.sfc'),
      '--models',
      FIXTURE_MODELS_DIR,
    );
    expect(out).toMatch(/37 descriptors.*expression/);
    run(
      'decode',
      join(dir, 'imported.sfc'),
      '-o',
      join(dir, 'imported.csv'),
      '--format',
      'livelink-csv',
      '--models',
      FIXTURE_MODELS_DIR,
    );
    const a = parseLiveLinkCsv(readFileSync(join(dir, 'take.csv'), 'utf8'), 30).rows;
    const b = parseLiveLinkCsv(readFileSync(join(dir, 'imported.csv'), 'utf8'), 30).rows;
    expect(b).toHaveLength(a.length);
    // Through the untrained fixture codec (every coefficient within 0.125): the jaw follows the take.
    const jawA = a.map((r) => r.arkit.jawOpen);
    const jawB = b.map((r) => r.arkit.jawOpen);
    const mae = jawA.reduce((s, v, i) => s + Math.abs(v - jawB[i]!), 0) / jawA.length;
    expect(mae).toBeLessThan(0.1);
  });

  it('rejects an unknown format with a usage error', () => {
    expect(() =>
      execFileSync('node', [cli, 'decode', join(dir, 'take.sfc'), '-o', join(dir, 'x'), '--format', 'fbx'], {
        stdio: 'pipe',
      }),
    ).toThrow(/--format must be npy or livelink-csv/);
  });
});
