#!/usr/bin/env node
// Prints the package import graph of the monorepo as a markdown table: one row per arrow
// `a → b` where package a declares @semface/b in its package.json (dependencies or
// devDependencies) or imports it (static `from`, bare `import`, `import()`, `export … from`) in a
// non-test file under its src/. Rows where the two disagree are flagged (a declared package only
// its src tests import is marked as such).
// Usage: node scripts/import-graph.mjs [repo root]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const packagesDir = join(root, 'packages');
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const TEST = /\.(test|spec|bench)\.[cm]?[jt]s$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](@semface\/[a-z0-9-]+)(\/[^'"]*)?['"]/g;

/** Source files under `dir`: the non-test ones, or (`tests`) the test ones. */
function files(dir, tests = false) {
  let out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p, tests));
    else if (SOURCE.test(name) && TEST.test(name) === tests && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const short = (name) => name.replace(/^@semface\//, '');
const rows = [];
const packages = readdirSync(packagesDir)
  .filter((d) => statSync(join(packagesDir, d, 'package.json'), { throwIfNoEntry: false })?.isFile())
  .sort();
for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8'));
  const declared = new Map();
  for (const field of ['dependencies', 'devDependencies']) {
    for (const dep of Object.keys(pkg[field] ?? {})) {
      if (dep.startsWith('@semface/')) declared.set(dep, field);
    }
  }
  const imported = new Map();
  const src = join(packagesDir, dir, 'src');
  const hasSrc = statSync(src, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const testText = hasSrc ? files(src, true).map((f) => readFileSync(f, 'utf8')) : [];
  for (const file of hasSrc ? files(src) : []) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      if (m[1] === pkg.name) continue;
      const entry = imported.get(m[1]) ?? { files: new Set(), subpaths: new Set() };
      entry.files.add(relative(src, file));
      entry.subpaths.add(m[2] ? `${short(m[1])}${m[2]}` : short(m[1]));
      imported.set(m[1], entry);
    }
  }
  for (const dep of [...new Set([...declared.keys(), ...imported.keys()])].sort()) {
    const use = imported.get(dep);
    const field = declared.get(dep);
    const inTests = testText.some((t) => [...t.matchAll(IMPORT)].some((m) => m[1] === dep));
    const unused = inTests ? 'tests only' : '**declared, not imported**';
    const note = !field ? '**imported, not declared**' : !use ? unused : '';
    rows.push([
      `${short(pkg.name)} → ${short(dep)}`,
      field ?? '—',
      use ? `${use.files.size} (${[...use.subpaths].sort().join(', ')})` : '0',
      note,
    ]);
  }
}

const lines = [
  '| arrow | package.json | src files importing it (entry points) | note |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
