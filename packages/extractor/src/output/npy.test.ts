import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, matrixRow, npyHeader, readNpy, writeNpy } from './npy.js';
import { NpyStreamWriter } from './npy-stream.js';

const PYTHON = fileURLToPath(new URL('../../../../training/.venv/bin/python', import.meta.url));

function ramp(rows: number, cols: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, (_, i) => i * 0.5 - 3);
}

describe('.npy encoding', () => {
  it('writes a v1.0 header padded to 64 bytes', () => {
    const header = npyHeader(3, 257);
    expect(header.length % 64).toBe(0);
    expect(Array.from(header.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    expect(header[8]! | (header[9]! << 8)).toBe(header.length - 10);
    const text = new TextDecoder().decode(header.subarray(10));
    expect(text).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 257\), \} *\n$/);
  });

  it('round-trips a matrix, including zero rows', () => {
    for (const rows of [0, 1, 5]) {
      const matrix = { rows, cols: 257, data: ramp(rows, 257) };
      const bytes = encodeNpy(matrix);
      expect(bytes.length).toBe(npyHeader(rows, 257).length + rows * 257 * 4);
      const back = decodeNpy(bytes);
      expect(back.rows).toBe(rows);
      expect(back.cols).toBe(257);
      expect(back.data).toEqual(matrix.data);
    }
    const m = decodeNpy(encodeNpy({ rows: 2, cols: 3, data: ramp(2, 3) }));
    expect(Array.from(matrixRow(m, 1))).toEqual([-1.5, -1, -0.5]);
  });

  it('refuses data of the wrong length', () => {
    expect(() => encodeNpy({ rows: 2, cols: 3, data: new Float32Array(5) })).toThrow(RangeError);
  });

  it('rejects bad magic, dtype, order, shape and length with SEMFACE_ERR_NPY_INVALID', () => {
    const good = encodeNpy({ rows: 2, cols: 3, data: ramp(2, 3) });
    const swap = (from: string, to: string): Uint8Array => {
      const text = new TextDecoder('latin1').decode(good.subarray(0, 128)).replace(from, to);
      const out = Uint8Array.from(good);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
      return out;
    };
    const invalid = expect.objectContaining({ code: 'SEMFACE_ERR_NPY_INVALID' });
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(invalid);
    expect(() => decodeNpy(swap('<f4', '<f8'))).toThrow(invalid);
    expect(() => decodeNpy(swap('<f4', '>f4'))).toThrow(invalid);
    expect(() => decodeNpy(swap("'fortran_order': False", "'fortran_order': True "))).toThrow(invalid);
    expect(() => decodeNpy(swap('(2, 3)', '(6,)  '))).toThrow(invalid);
    expect(() => decodeNpy(good.subarray(0, good.length - 4))).toThrow(invalid);
  });
});

describe('.npy files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-npy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams rows and patches the shape on close', async () => {
    const path = join(dir, 'stream.npy');
    const writer = await NpyStreamWriter.open(path, 4);
    await writer.append(ramp(1, 4));
    await writer.append(ramp(2, 4).map((v) => v + 100));
    await expect(writer.append(new Float32Array(3))).rejects.toThrow(RangeError);
    expect(existsSync(path)).toBe(false);
    expect(await writer.close()).toBe(3);
    const back = await readNpy(path);
    expect([back.rows, back.cols]).toEqual([3, 4]);
    expect(Array.from(back.data.subarray(0, 4))).toEqual(Array.from(ramp(1, 4)));
    expect(back.data[4]).toBe(97);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('removes the partial file on abort', async () => {
    const path = join(dir, 'aborted.npy');
    const writer = await NpyStreamWriter.open(path, 2);
    await writer.append(new Float32Array(2));
    await writer.abort();
    expect(existsSync(path) || existsSync(`${path}.partial`)).toBe(false);
  });

  it('reports a missing file as SEMFACE_ERR_INPUT_NOT_FOUND', async () => {
    await expect(readNpy(join(dir, 'none.npy'))).rejects.toMatchObject({
      code: 'SEMFACE_ERR_INPUT_NOT_FOUND',
    });
  });

  describe.skipIf(!existsSync(PYTHON))('interop with numpy', () => {
    it('numpy loads what we write, and we load what numpy writes', async () => {
      const ours = join(dir, 'ours.npy');
      const streamed = join(dir, 'streamed.npy');
      await writeNpy(ours, { rows: 3, cols: 257, data: ramp(3, 257) });
      const writer = await NpyStreamWriter.open(streamed, 257);
      await writer.append(ramp(3, 257));
      await writer.close();
      const theirs = join(dir, 'theirs.npy');
      const script = [
        'import sys, numpy as np',
        'ref = (np.arange(3 * 257, dtype=np.float32) * 0.5 - 3).reshape(3, 257)',
        'for p in sys.argv[1:3]:',
        '    a = np.load(p)',
        '    assert a.dtype == np.float32 and a.shape == (3, 257) and a.flags.c_contiguous, (a.dtype, a.shape)',
        '    assert np.array_equal(a, ref)',
        'np.save(sys.argv[3], ref[:2] * 2)',
        'print("ok")',
      ].join('\n');
      const out = execFileSync(PYTHON, ['-c', script, ours, streamed, theirs], { encoding: 'utf8' });
      expect(out.trim()).toBe('ok');
      const back = await readNpy(theirs);
      expect([back.rows, back.cols]).toEqual([2, 257]);
      expect(back.data[1]).toBe(-5);
      expect((await readFile(theirs)).length).toBe(128 + 2 * 257 * 4);
    });
  });
});
