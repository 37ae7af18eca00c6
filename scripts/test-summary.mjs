// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON
// report plus pytest's counts, so the result does not depend on parsing coloured output.
import { readFileSync } from 'node:fs';

const [vitestJson, pytestLog] = process.argv.slice(2);
const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
let passed = v.numPassedTests;
let failed = v.numFailedTests;
let skipped = v.numPendingTests + (v.numTodoTests ?? 0);
const py = readFileSync(pytestLog, 'utf8');
for (const [, n, kind] of py.matchAll(/(\d+) (passed|failed|skipped|error)/g)) {
  if (kind === 'passed') passed += Number(n);
  else if (kind === 'skipped') skipped += Number(n);
  else failed += Number(n);
}
process.stdout.write(`total: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 || !v.success ? 1 : 0;
