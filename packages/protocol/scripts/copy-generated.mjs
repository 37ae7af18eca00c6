#!/usr/bin/env node
// tsc does not emit hand-off .js/.d.ts pairs, so the committed generated module is copied
// into dist/ before `tsc -b` compiles the wrapper that imports it.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(pkgRoot, 'src/generated');
const to = join(pkgRoot, 'dist/generated');
mkdirSync(to, { recursive: true });
for (const name of ['semface.js', 'semface.d.ts']) copyFileSync(join(from, name), join(to, name));
