import type { EvalPoint, EvalTask } from '../run/eval-point.js';

const pct = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '-' : `${(100 * x).toFixed(2)}`;

/** Markdown table of one task's points, sorted by curve then rate. Image rows: only the kept setting. */
export function markdownTable(points: readonly EvalPoint[], task: EvalTask): string {
  const rows = points
    .filter((p) => p.task === task && (p.family !== 'image' || p.best))
    .sort((a, b) => (a.curve === b.curve ? a.bitsPerFace - b.bitsPerFace : a.curve < b.curve ? -1 : 1));
  const head =
    task === 'verification'
      ? '| system | bits/face | accuracy % (mean ± std) | covered-set accuracy % | pairs (covered) | setting |'
      : '| system | bits/face | accuracy % | covered-set accuracy % | images (covered) | setting |';
  const lines = [head, '|---|---:|---:|---:|---:|---|'];
  for (const p of rows) {
    const acc = p.std !== undefined ? `${pct(p.accuracy)} ± ${pct(p.std)}` : pct(p.accuracy);
    const setting =
      p.family === 'image'
        ? `budget ${p.budgetBits}, ${p.size}px, q=${p.quality}`
        : p.family === 'descriptor' || p.family === 'identity-code'
          ? `model ${p.modelId} rate ${p.rateIndex}${p.overheadBitsPerFace ? ` (+${Math.round(p.overheadBitsPerFace)} container bits)` : ''}`
          : '';
    lines.push(
      `| ${p.curve} | ${Math.round(p.bitsPerFace)} | ${acc} | ${pct(p.accuracyCovered)} | ${p.items} (${p.covered}) | ${setting} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
