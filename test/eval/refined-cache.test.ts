import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `pnpm caches` builds the refined caches in three steps (extract --no-refine, emotion values on the same
// crops, the extractor's refiner over the rows) instead of a second extraction. This checks on real
// images and a real clip (read from ../shared/data, never fixtures) that the result is what
// `semface extract` writes with refinement on, row for row.
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataRoot = process.env.SEMFACE_DATA_ROOT ?? join(root, '../shared/data');
const hasData = existsSync(join(dataRoot, 'fer2013/validation')) && existsSync(join(dataRoot, 'videos'));
if (!hasData)
  process.stdout.write(`skipped (refined caches): no fer2013/validation or videos under ${dataRoot}\n`);
const bin = join(root, 'packages/cli/dist/bin.js');
const tools = join(root, 'packages/extractor/dist/cache');

function readRows(path: string): Float32Array {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const start = buf.byteOffset + 10 + headerLen;
  return new Float32Array(buf.buffer.slice(start, buf.byteOffset + buf.length));
}

describe.skipIf(!hasData)('refined caches = semface extract with refinement', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semface-refined-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases = [
    ['fer2013-validation', ['--limit', '8']],
    ['videos', ['--limit', '1', '--max-frames', '30']],
  ] as const;
  for (const [dataset, limits] of cases) {
    it(`${dataset}: extract --no-refine + emotion values + refine-cache gives the refined rows`, () => {
      const common = ['--dataset', dataset, '--data-root', dataRoot, ...limits, '-q'];
      const direct = join(dir, `${dataset}.npy`);
      const plain = join(dir, `${dataset}-plain.npy`);
      const viaCache = join(dir, `${dataset}-refined.npy`);
      execFileSync(process.execPath, [bin, 'extract', ...common, '-o', direct]);
      execFileSync(process.execPath, [bin, 'extract', ...common, '--no-refine', '-o', plain]);
      execFileSync(process.execPath, [join(tools, 'build-emotion-cache.js'), plain, '--data-root', dataRoot]);
      execFileSync(process.execPath, [join(tools, 'refine-cache.js'), plain, viaCache]);
      const a = readRows(direct);
      const b = readRows(viaCache);
      const p = readRows(plain);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBe(a.length);
      let maxDiff = 0;
      let changed = 0;
      for (let i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
        if (a[i] !== p[i]) {
          changed++;
          // the refinement touches the expression coefficients only
          expect(i % 257 >= 80 && i % 257 < 144).toBe(true);
        }
      }
      expect(maxDiff).toBeLessThan(1e-5);
      expect(changed).toBeGreaterThan(0);
    }, 120_000);
  }
});
