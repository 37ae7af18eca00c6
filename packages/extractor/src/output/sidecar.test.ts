import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DescriptorSidecar,
  createSidecarHeader,
  readSidecar,
  sidecarPathFor,
  writeSidecar,
} from './sidecar.js';

describe('descriptor sidecar', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semface-sidecar-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the sidecar after the array', () => {
    expect(sidecarPathFor('/x/out.npy')).toBe('/x/out.json');
    expect(sidecarPathFor('/x/out')).toBe('/x/out.json');
  });

  it('round-trips header, rows and failures', async () => {
    const sidecar: DescriptorSidecar = {
      header: createSidecarHeader({
        command: 'semface extract a.mp4 -o out.npy',
        columns: 257,
        models: [{ role: 'detector', id: 'blazeface-short', sha256: 'ab'.repeat(32) }],
      }),
      rows: [
        {
          source: 'a.mp4',
          frameIndex: 3,
          timestampMs: 120,
          faceIndex: 0,
          box: { x: 1, y: 2, width: 30, height: 40 },
          detectorScore: 0.9,
          fitErrorPercent: 2.5,
        },
      ],
      failures: [{ source: 'b.jpg', frameIndex: null, code: 'SEMFACE_ERR_NO_FACE', message: 'no face' }],
    };
    const path = join(dir, 'out.json');
    await writeSidecar(path, sidecar);
    const back = await readSidecar(path);
    expect(back).toEqual(sidecar);
    expect(back.header.format).toBe('semface-descriptors');
    expect(Date.parse(back.header.created)).not.toBeNaN();
    // One row per line keeps the file greppable.
    expect((await readFile(path, 'utf8')).split('\n').filter((l) => l.includes('"source"'))).toHaveLength(2);
  });

  it('rejects files that are not sidecars', async () => {
    const path = join(dir, 'other.json');
    await writeFile(path, '{"header":{"format":"other"}}');
    await expect(readSidecar(path)).rejects.toMatchObject({ code: 'SEMFACE_ERR_DATASET_FORMAT' });
    await writeFile(path, 'nope');
    await expect(readSidecar(path)).rejects.toMatchObject({ code: 'SEMFACE_ERR_DATASET_FORMAT' });
  });
});
