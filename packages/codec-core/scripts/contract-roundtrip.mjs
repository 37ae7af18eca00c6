#!/usr/bin/env node
// Runs descriptors through codec-core's built layout and quantiser (dist/), for the Python parity test
// (training/codec/tests/test_contract.py), which gives the same rows to training/codec/quantise.py.
//   node packages/codec-core/scripts/contract-roundtrip.mjs <in.json> <out.json>
//   in:  { "rows": number[][] }   (float32 values, DESCRIPTOR_LENGTH each)
//   out: { "indices": { profile: number[] }, "q": { profile: number[][] } }   (integer latents per row)
import { readFileSync, writeFileSync } from 'node:fs';
import { DESCRIPTOR_LENGTH, PROFILE_NAMES, profileIndices } from '../dist/descriptor/layout.js';
import { quantize } from '../dist/quant/quantize.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: contract-roundtrip.mjs <in.json> <out.json>\n');
  process.exit(2);
}
const { rows } = JSON.parse(readFileSync(input, 'utf8'));
const indices = {};
const q = {};
for (const profile of PROFILE_NAMES) {
  const idx = profileIndices(profile);
  indices[profile] = Array.from(idx);
  q[profile] = rows.map((row) => {
    if (row.length !== DESCRIPTOR_LENGTH) throw new RangeError(`row of ${row.length} values`);
    const x = Float32Array.from(row);
    return Array.from(quantize(Float32Array.from(idx, (i) => x[i])));
  });
}
writeFileSync(output, `${JSON.stringify({ indices, q })}\n`);
