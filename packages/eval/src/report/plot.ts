import sharp from 'sharp';
import type { EvalPoint, EvalTask } from '../run/eval-point.js';

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * SVG rate-accuracy plot (log2 bits on x, accuracy on y): one polyline per curve, ceilings as
 * dashed horizontal lines. Only image settings marked `best` are drawn.
 */
export function rateAccuracySvg(points: readonly EvalPoint[], task: EvalTask, title: string): string {
  const W = 1080;
  const H = 560;
  const L = 70;
  const R = 420;
  const T = 40;
  const B = 60;
  const pts = points.filter(
    (p) => p.task === task && Number.isFinite(p.accuracy) && (p.family !== 'image' || p.best),
  );
  const curves = new Map<string, EvalPoint[]>();
  for (const p of pts) {
    if (p.family === 'ceiling') continue;
    const list = curves.get(p.curve) ?? [];
    list.push(p);
    curves.set(p.curve, list);
  }
  const plotted = [...curves.values()].flat();
  const xs = plotted.map((p) => Math.log2(Math.max(1, p.bitsPerFace)));
  const ys = pts.map((p) => p.accuracy);
  const xmin = Math.floor(Math.min(...xs, 7));
  const xmax = Math.ceil(Math.max(...xs, 12));
  const ymin = Math.max(0, Math.floor(Math.min(...ys, 1) * 10) / 10 - 0.05);
  const ymax = 1;
  const px = (b: number) => L + ((Math.log2(Math.max(1, b)) - xmin) / (xmax - xmin)) * (W - L - R);
  const py = (a: number) => T + (1 - (a - ymin) / (ymax - ymin)) * (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="24" font-size="15">${esc(title)}</text>`,
  ];
  for (let e = xmin; e <= xmax; e++) {
    const x = px(2 ** e);
    out.push(`<line x1="${x}" y1="${T}" x2="${x}" y2="${H - B}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${H - B + 16}" text-anchor="middle">${2 ** e}</text>`);
  }
  for (let a = Math.ceil(ymin * 20) / 20; a <= ymax + 1e-9; a += 0.05) {
    const y = py(a);
    out.push(`<line x1="${L}" y1="${y}" x2="${W - R}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${L - 6}" y="${y + 4}" text-anchor="end">${(100 * a).toFixed(0)}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#333"/>`);
  out.push(
    `<text x="${(L + W - R) / 2}" y="${H - 20}" text-anchor="middle">bits per face (log scale)</text>`,
  );
  out.push(
    `<text x="18" y="${(T + H - B) / 2}" transform="rotate(-90 18 ${(T + H - B) / 2})" text-anchor="middle">accuracy %</text>`,
  );
  let i = 0;
  let legendY = T + 10;
  const legend = (color: string, label: string, dashed: boolean) => {
    out.push(
      `<line x1="${W - R + 15}" y1="${legendY}" x2="${W - R + 40}" y2="${legendY}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="5,4"' : ''}/>`,
    );
    out.push(`<text x="${W - R + 46}" y="${legendY + 4}">${esc(label)}</text>`);
    legendY += 18;
  };
  for (const [name, list] of curves) {
    const color = PALETTE[i++ % PALETTE.length]!;
    const sorted = [...list].sort((a, b) => a.bitsPerFace - b.bitsPerFace);
    const path = sorted.map((p) => `${px(p.bitsPerFace).toFixed(1)},${py(p.accuracy).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of sorted) {
      out.push(
        `<circle cx="${px(p.bitsPerFace).toFixed(1)}" cy="${py(p.accuracy).toFixed(1)}" r="3.5" fill="${color}"/>`,
      );
    }
    legend(color, name, false);
  }
  for (const c of pts.filter((p) => p.family === 'ceiling')) {
    const color = PALETTE[i++ % PALETTE.length]!;
    const y = py(c.accuracy);
    out.push(
      `<line x1="${L}" y1="${y}" x2="${W - R}" y2="${y}" stroke="${color}" stroke-width="1.5" stroke-dasharray="5,4"/>`,
    );
    legend(color, `${c.curve} (${(100 * c.accuracy).toFixed(1)}%)`, true);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Renders an SVG string to PNG bytes (librsvg inside sharp; no other native dependency). */
export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 96 }).png().toBuffer();
}
