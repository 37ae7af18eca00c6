// Every package's error classes derive from the one SemfaceError of @semface/protocol/errors and
// carry a registered code; instanceof works across packages (one module instance of the base).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, SemfaceError } from '@semface/protocol/errors';
import { describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../../packages/', import.meta.url));
/** Base classes: their code is a constructor argument (server's RelayError takes a relay error name). */
const BASES: Record<string, unknown[]> = {
  SemfaceError: ['SEMFACE_ERR_UNKNOWN', 'm'],
  SemfaceProtocolError: ['SEMFACE_ERR_PROTOCOL_DECODE', 'm'],
  CodecError: ['SEMFACE_ERR_BAD_MAGIC', 'm'],
  ExtractorError: ['SEMFACE_ERR_NO_FACE', 'm'],
  FaceModelError: ['SEMFACE_ERR_FACE_MODEL_INVALID', 'm'],
  SemfaceSdkError: ['SEMFACE_ERR_SDK_TIMEOUT', 'm'],
  SemfaceServerError: ['SEMFACE_ERR_SERVER_STATE', 'm'],
  ViewerError: ['SEMFACE_ERR_VIEWER_MESSAGE', 'm'],
  SemfaceEvalError: ['SEMFACE_ERR_EVAL_DATASET', 'm'],
};
const SPECIAL: Record<string, Record<string, unknown[]>> = { server: { RelayError: ['forbidden', 'm'] } };

const modules = readdirSync(packages)
  .map((name) => ({ name, file: `${packages}${name}/dist/errors.js` }))
  .filter((m) => existsSync(m.file));

describe('one error base for every package', () => {
  it('finds the errors module of every package that has one', () => {
    expect(modules.map((m) => m.name)).toEqual(
      expect.arrayContaining(['codec-core', 'eval', 'extractor', 'protocol', 'sdk', 'server', 'viewer']),
    );
  });

  for (const { name, file } of modules) {
    it(`${name}: every exported error class is a SemfaceError with a registered code`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const classes = Object.entries(mod).filter(
        (e): e is [string, new (...a: unknown[]) => SemfaceError] =>
          typeof e[1] === 'function' && (e[1] === SemfaceError || e[1].prototype instanceof SemfaceError),
      );
      expect(classes.length).toBeGreaterThan(0);
      for (const [exported, Class] of classes) {
        const err = new Class(...(SPECIAL[name]?.[exported] ?? BASES[exported] ?? ['a', 'b', 1, 2]));
        expect(err, exported).toBeInstanceOf(SemfaceError);
        expect(err, exported).toBeInstanceOf(Error);
        expect(err.name, exported).toBe(Class.name);
        expect(ERROR_CODES, exported).toContain(err.code);
        const json = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
        expect(json, exported).toMatchObject({ name: Class.name, code: err.code, message: err.message });
      }
    });
  }

  it("codec-core's browser entries (and so its errors) load neither protobufjs nor onnxruntime", () => {
    for (const spec of ['@semface/codec-core/portable', '@semface/codec-core/wire']) {
      const code = `import { createRequire } from 'node:module';
        const m = await import('${spec}');
        const { SemfaceError } = await import('@semface/protocol/errors');
        if (m.BadMagicError && !(new m.BadMagicError('x') instanceof SemfaceError)) process.exit(3);
        const cjs = Object.keys(createRequire(import.meta.url).cache);
        console.log(cjs.filter((k) => /protobufjs|onnxruntime/.test(k)).join(','));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
        cwd: `${packages}codec-core`,
        encoding: 'utf8',
      });
      expect(r.stderr, spec).toBe('');
      expect(r.status, spec).toBe(0);
      expect(r.stdout.trim(), spec).toBe('');
    }
  });
});
