import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as wire from './wire.js';

const srcDir = dirname(fileURLToPath(import.meta.url));

/** Every module reachable from `entry` through static or dynamic imports, plus bare package specifiers. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('wire entry', () => {
  it('does not reach onnxruntime or the model code', () => {
    const { files, packages } = importGraph(join(srcDir, 'wire.ts'));
    // @semface/protocol/errors (the shared error base) imports nothing: packages/protocol/src/errors.test.ts.
    expect([...packages].filter((p) => !p.startsWith('node:') && p !== '@semface/protocol/errors')).toEqual(
      [],
    );
    expect([...files].some((f) => f.includes('/models/') || f.includes('/codec/'))).toBe(false);
  });

  it('exports the header parsers, CRC and error classes', () => {
    expect(typeof wire.parseFile).toBe('function');
    expect(typeof wire.parseFramePacket).toBe('function');
    expect(wire.crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(new wire.BitstreamTruncatedError('x').code).toBe('SEMFACE_ERR_BITSTREAM_TRUNCATED');
    expect(wire.CoderId).toEqual({ ppm: 0, rans: 1 });
  });
});
