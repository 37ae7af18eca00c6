import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));
/** Packages the SDK core may import statically: both run in browsers (no node:*, no onnxruntime). */
const BROWSER_SAFE = new Set([
  '@semface/protocol',
  '@semface/protocol/errors',
  '@semface/codec-core/layout',
  '@semface/codec-core/portable',
  // The face model's root entry (disk I/O lives in '@semface/face-model/node'): checked below.
  '@semface/face-model',
  'onnxruntime-web/wasm',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'index.ts' ? [p] : [];
  });
}

/** Specifiers of value imports/re-exports (type-only ones are erased from the JavaScript). */
function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms;
  for (const m of code.matchAll(re)) if (!m[2]) out.push(m[3]!);
  return out;
}

describe('SDK core is browser-safe', () => {
  it('statically imports only relative modules, the protocol and the Node-free codec layout', () => {
    const offending: string[] = [];
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      for (const spec of staticImports(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.') && !BROWSER_SAFE.has(spec)) offending.push(`${relative(SRC, f)}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the codec-core layout module imports only its generated contract data, which imports nothing', () => {
    const dir = fileURLToPath(new URL('../../codec-core/src/descriptor/', import.meta.url));
    expect(staticImports(readFileSync(join(dir, 'layout.ts'), 'utf8'))).toEqual(['./contract-data.js']);
    expect(staticImports(readFileSync(join(dir, 'contract-data.ts'), 'utf8'))).toEqual([]);
  });

  it("the face model's root entry imports only browser-safe modules (its disk I/O is under ./node)", () => {
    const dir = fileURLToPath(new URL('../../face-model/src/', import.meta.url));
    const offending = sources(dir)
      .filter((f) => !f.endsWith('node.ts'))
      .flatMap((f) => staticImports(readFileSync(f, 'utf8')).map((spec) => `${relative(dir, f)}: ${spec}`))
      .filter((s) => !s.split(': ')[1]!.startsWith('.') && !BROWSER_SAFE.has(s.split(': ')[1]!));
    expect(offending).toEqual([]);
  });
});
