import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CloseCode } from './close-codes.js';
import { RELAY_ERROR_CLOSE_CODE, RelayErrorCode } from './error-codes.js';
import {
  ERROR_CODES,
  EnvelopeDecodeError,
  EnvelopeEmptyError,
  SemfaceError,
  SemfaceProtocolError,
} from './errors.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkgRoot = fileURLToPath(new URL('../', import.meta.url));
const MODULE = 'packages/protocol/src/generated/error-codes.ts';

interface Registry {
  codes: {
    code: string;
    name?: string;
    packages: string[];
    closeCode?: number;
    raisedBy: { class?: string }[];
  }[];
}
const registry = JSON.parse(readFileSync(join(pkgRoot, 'contracts/error-codes.json'), 'utf8')) as Registry;
const registered = new Set(registry.codes.map((c) => c.code));

/** Every .ts file under packages/<name>/src, tests included, the generated code list excluded. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return e.name.endsWith('.ts') && relative(root, p) !== MODULE ? [p] : [];
  });
}

/** Every source file under packages/<name>/src that `keep` accepts. */
function files(keep: (file: string) => boolean = () => true): string[] {
  return readdirSync(join(root, 'packages')).flatMap((pkg) => {
    const src = join(root, 'packages', pkg, 'src');
    return existsSync(src) ? sources(src).filter(keep) : [];
  });
}
const readAll = (keep?: (file: string) => boolean) =>
  files(keep)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

/** `SEMFACE_ERR_*` string literals of the sources, by code (a trailing `*` or `_` marks prose, not a code). */
function literals(keep?: (file: string) => boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files(keep)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/SEMFACE_ERR_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_*])/g)) {
      out.set(m[0], [...(out.get(m[0]) ?? []), relative(root, f)]);
    }
  }
  return out;
}

describe('error-code registry (contracts/error-codes.json)', () => {
  it('docs/errors.md and the generated code list are up to date', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts/generate-error-docs.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the generated list holds every registry code, in order', () => {
    expect([...ERROR_CODES]).toEqual(registry.codes.map((c) => c.code));
  });

  it('every SEMFACE_ERR_* literal in packages/*/src is registered', () => {
    const found = literals();
    const unknown = [...found].filter(([code]) => !registered.has(code)).map(([c, at]) => `${c} (${at[0]})`);
    expect(unknown).toEqual([]);
  });

  it('every registered code is raised in packages/*/src (relay codes: by name, in the server)', () => {
    const notTest = (f: string) => !f.endsWith('.test.ts');
    const found = literals(notTest);
    const server = readAll((f) => notTest(f) && f.startsWith(join(root, 'packages/server/src')));
    const unused = registry.codes.filter(
      (c) => !found.has(c.code) && !(c.name && new RegExp(`['.]${c.name}\\b`).test(server)),
    );
    expect(unused.map((c) => c.code)).toEqual([]);
  });

  it('every class the registry names is declared in the package that raises it', () => {
    const missing: string[] = [];
    for (const c of registry.codes) {
      for (const u of c.raisedBy) {
        if (!u.class) continue;
        const decl = new RegExp(`export class ${u.class}\\b`);
        const pkgs = c.packages.map((p) => join(root, 'packages', p.replace('@semface/', ''), 'src'));
        if (!pkgs.some((d) => sources(d).some((f) => decl.test(readFileSync(f, 'utf8'))))) {
          missing.push(`${c.code}: ${u.class}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('relay codes and close codes agree with RelayErrorCode / RELAY_ERROR_CLOSE_CODE / CloseCode', () => {
    const fromRegistry = Object.fromEntries(
      registry.codes.filter((c) => c.closeCode !== undefined).map((c) => [c.code, c.closeCode]),
    );
    const fromProtocol = Object.fromEntries(
      Object.entries(RelayErrorCode).map(([k, code]) => [
        code,
        RELAY_ERROR_CLOSE_CODE[k as keyof typeof RelayErrorCode],
      ]),
    );
    expect(fromProtocol).toEqual(fromRegistry);
    for (const [k, v] of Object.entries(RELAY_ERROR_CLOSE_CODE))
      expect(CloseCode[k as keyof typeof CloseCode]).toBe(v);
  });
});

describe('SemfaceError', () => {
  it('is the base of the protocol errors, with name, code, cause and toJSON', () => {
    const cause = new EnvelopeEmptyError();
    const e = new EnvelopeDecodeError('bad bytes', { cause });
    expect(e).toBeInstanceOf(SemfaceProtocolError);
    expect(e).toBeInstanceOf(SemfaceError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('EnvelopeDecodeError');
    expect(e.code).toBe('SEMFACE_ERR_PROTOCOL_DECODE');
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      name: 'EnvelopeDecodeError',
      code: 'SEMFACE_ERR_PROTOCOL_DECODE',
      message: 'bad bytes',
      cause: {
        name: 'EnvelopeEmptyError',
        code: 'SEMFACE_ERR_PROTOCOL_EMPTY_ENVELOPE',
        message: cause.message,
      },
    });
    const plain = new SemfaceError('SEMFACE_ERR_UNKNOWN', 'x', { cause: new TypeError('y') });
    expect(plain.toJSON()).toEqual({
      name: 'SemfaceError',
      code: 'SEMFACE_ERR_UNKNOWN',
      message: 'x',
      cause: 'TypeError: y',
    });
  });

  it('@semface/protocol/errors loads without protobufjs (browser-safe), unlike the main entry', () => {
    const probe = (spec: string) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module';
           const m = await import(${JSON.stringify(spec)});
           if (typeof m.SemfaceError !== 'function') throw new Error('no SemfaceError');
           const cache = Object.keys(createRequire(import.meta.url).cache);
           console.log(JSON.stringify(cache.filter((k) => k.includes('protobufjs')).length));`,
        ],
        { cwd: pkgRoot, encoding: 'utf8' },
      );
    const errorsOnly = probe('@semface/protocol/errors');
    expect(errorsOnly.stderr).toBe('');
    expect(errorsOnly.stdout.trim()).toBe('0');
    const main = probe('@semface/protocol');
    expect(Number(main.stdout.trim())).toBeGreaterThan(0);
  });
});
