#!/usr/bin/env node
/**
 * Extracts chosen rows of a dataset cache (the same inputs, image preparation and crop fallback as
 * `semface extract --dataset NAME`), for checks on a selection split without re-extracting the whole set.
 *
 *   node scripts/extract-dataset-rows.mjs --dataset fer2013-train --rows rows.json -o out.npy [--symmetric]
 *       [--data-root ../shared/data]
 *
 * rows.json: a JSON array of 0-based item indices of the dataset (e.g. FER2013 train's seed-7
 * selection rows: `training/.venv/bin/python -m training.heads.score_expression --selection-rows rows.json`).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDescriptorSource } from '../packages/cli/dist/extract/descriptor-source.js';
import { isExtractDataset, planDataset } from '../packages/cli/dist/extract/datasets.js';
import { runDescriptorJob } from '../packages/extractor/dist/index.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    rows: { type: 'string' },
    out: { type: 'string', short: 'o' },
    symmetric: { type: 'boolean', default: false },
    'data-root': { type: 'string', default: process.env.SEMFACE_DATA_ROOT ?? '../shared/data' },
  },
});
if (!values.dataset || !isExtractDataset(values.dataset) || !values.rows || !values.out) {
  throw new TypeError('usage: --dataset NAME --rows rows.json -o out.npy [--symmetric]');
}
const plan = await planDataset(values.dataset, values['data-root']);
const rows = JSON.parse(readFileSync(values.rows, 'utf8'));
if (!Array.isArray(rows) || !rows.every((i) => Number.isInteger(i) && i >= 0 && i < plan.items.length)) {
  throw new RangeError(`rows must be item indices in [0, ${plan.items.length})`);
}
const source = await loadDescriptorSource({ symmetric: values.symmetric });
try {
  const result = await runDescriptorJob(
    rows.map((i) => plan.items[i]),
    {
      out: values.out,
      extractor: source,
      header: {
        command: ['node', 'scripts/extract-dataset-rows.mjs', ...process.argv.slice(2)].join(' '),
        models: source.models,
        dataset: plan.dataset,
        ...(plan.classes ? { classes: plan.classes } : {}),
      },
      cropFallback: plan.cropFallback ?? false,
      ...(plan.image ?? {}),
    },
  );
  process.stdout.write(`${result.rows} rows of ${rows.length} items to ${result.npyPath}\n`);
} finally {
  await source.close();
}
