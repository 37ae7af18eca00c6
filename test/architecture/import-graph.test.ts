import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package boundaries of docs/architecture.md, read from scripts/import-graph.mjs (package.json
// declarations and real import statements of non-test sources).
const root = fileURLToPath(new URL('../..', import.meta.url));
const table = execFileSync(process.execPath, ['scripts/import-graph.mjs', root], {
  cwd: root,
  encoding: 'utf8',
});
const arrows = table
  .split('\n')
  .map((line) => /^\| (\S+) → (\S+) \| (\S+) \| (\d+)/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ from: m[1]!, to: m[2]!, declared: m[3]!, files: Number(m[4]) }));
const runtimeTargets = (from: string) =>
  arrows.filter((a) => a.from === from && a.declared === 'dependencies').map((a) => a.to);

describe('package import graph', () => {
  it('is read from the script', () => {
    expect(arrows.length).toBeGreaterThan(10);
  });

  it('the relay imports only the protocol', () => {
    expect(runtimeTargets('server')).toEqual(['protocol']);
  });

  it('the viewer depends on the SDK, the face model and the error base only', () => {
    expect(runtimeTargets('viewer').sort()).toEqual(['face-model', 'protocol', 'sdk']);
    const protocol = table.split('\n').find((l) => l.startsWith('| viewer → protocol'));
    expect(protocol).toContain('protocol/errors');
    expect(protocol).not.toMatch(/\(protocol[,)]/);
  });

  it('the codec core, the face model and the protocol stay below the SDK, extractor and server', () => {
    for (const low of ['codec-core', 'face-model', 'protocol']) {
      for (const high of ['sdk', 'extractor', 'server', 'viewer', 'cli', 'eval']) {
        expect(
          arrows.some((a) => a.from === low && a.to === high),
          `${low} → ${high}`,
        ).toBe(false);
      }
    }
  });

  it('every declared package is imported and every imported package is declared', () => {
    const notes = table.split('\n').filter((l) => /declared, not imported|imported, not declared/.test(l));
    expect(notes).toEqual([]);
  });
});
