#!/usr/bin/env node
/**
 * Bit rate and expression/pose error of the layered temporal stream on the talking-head clips, against
 * intra coding (every frame coded alone with the expression-profile model, `rans`). Both per-frame
 * layers: `latent` (expression-model latents; rows "target N kbit/s", "exact rN") and `transform`
 * (motion transform coefficients; rows "transform, target N kbit/s" and "transform, step S" at fixed steps).
 *
 *   node scripts/measure-stream-rate.mjs [--cache artifacts/cache/videos.npy] [--models DIR]
 *       [--target 2000,1000] [--key-interval 2] [--out docs/streaming] [--plots]
 *       [--steps 0.1,0.2,0.3,0.5,0.8,1.2] [--identity-rate N]
 *       [--identity-code-refresh SECONDS] [--identity-code-rate N] [--identity-code-frame-bits 40]
 * With --identity-code-refresh, every stream also carries an identity code (docs/bitstream.md, "Identity code";
 * its own frames, kind 4, not seen by the temporal rate controller) at the first frame and then every SECONDS
 * of capture time: each costs the packet (4-byte header + the rate point's bits) plus the transport framing
 * of one frame (protocol v2 compact frame: 40 bits, docs/relay.md). The packet is coded by the shipped model
 * from a real face-api embedding (first row of artifacts/cache/idcode/lfw-faceapi.npy when present; the
 * length is fixed by the rate point, so the content does not change the count). Rows get `withIdentityCode`.
 * The cache is a descriptor .npy with its sidecar .json (`pnpm semface extract --dataset videos`).
 * Writes <out>/results.json and, with --plots, one bits-per-frame PNG per clip (SVG rendered by sharp).
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import {
  DESCRIPTOR_LENGTH,
  DescriptorField,
  encodeIdentityCode,
  goldenEmbeddings,
  loadIdentityCodeModel,
  SemfaceCodec,
} from '@semface/codec-core';
import { ReceiverHeads } from '@semface/sdk';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', default: 'artifacts/cache/videos.npy' },
    models: { type: 'string' },
    target: { type: 'string', default: '2000,1000' },
    'key-interval': { type: 'string', default: '2' },
    'identity-rate': { type: 'string' },
    steps: { type: 'string', default: '0.1,0.2,0.3,0.5,0.8,1.2' },
    out: { type: 'string', default: 'docs/streaming' },
    plots: { type: 'boolean', default: false },
    'task-label': { type: 'boolean', default: false },
    'other-heads': { type: 'string' },
    'identity-code-refresh': { type: 'string' },
    'identity-code-rate': { type: 'string', default: '3' },
    'identity-code-frame-bits': { type: 'string', default: '40' },
    'identity-code-embeddings': { type: 'string', default: 'artifacts/cache/idcode/lfw-faceapi.npy' },
  },
});

function readNpy(path) {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + headerLen).toString('latin1');
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True"))
    throw new Error(`${path}: need C-order <f4`);
  const shape = header.match(/'shape': \((\d+), (\d+)\)/);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const data = new Float32Array(
    buf.buffer.slice(buf.byteOffset + 10 + headerLen, buf.byteOffset + 10 + headerLen + rows * cols * 4),
  );
  return { rows, cols, data };
}

/** Per clip: descriptors in frame order (first face only) and the clip's frame rate. */
function loadClips(npyPath) {
  const npy = readNpy(npyPath);
  if (npy.cols !== DESCRIPTOR_LENGTH)
    throw new Error(`${npyPath}: ${npy.cols} columns, want ${DESCRIPTOR_LENGTH}`);
  const side = JSON.parse(readFileSync(npyPath.replace(/\.npy$/, '.json'), 'utf8'));
  const clips = new Map();
  side.rows.forEach((r, i) => {
    if (r.faceIndex !== 0 || r.frameIndex === null) return;
    const c = clips.get(r.source) ?? { source: r.source, frames: [] };
    c.frames.push({
      index: r.frameIndex,
      ms: r.timestampMs,
      d: npy.data.subarray(i * DESCRIPTOR_LENGTH, (i + 1) * DESCRIPTOR_LENGTH),
    });
    clips.set(r.source, c);
  });
  return [...clips.values()].map((c) => {
    c.frames.sort((a, b) => a.index - b.index);
    const last = c.frames[c.frames.length - 1];
    const fps = last.ms > 0 ? Math.round((last.index * 1000) / last.ms) : 25;
    const span = last.index - c.frames[0].index + 1;
    return {
      name: basename(c.source).replace(/\.[^.]+$/, ''),
      fps,
      span,
      descriptors: c.frames.map((f) => f.d),
      /** Capture time of each frame from the clip's first frame, seconds. */
      times: c.frames.map((f) => (f.index - c.frames[0].index) / fps),
    };
  });
}

const GROUPS = ['expression', 'rotation', 'translation', 'identity', 'texture', 'lighting'];

function errorSums() {
  return Object.fromEntries(GROUPS.map((g) => [g, 0]));
}

function addErrors(sums, ref, rec) {
  for (const g of GROUPS) {
    const f = DescriptorField[g];
    let s = 0;
    for (let i = f.start; i < f.end; i++) s += Math.abs(ref[i] - rec[i]);
    sums[g] += s / (f.end - f.start);
  }
}

function mean(sums, n) {
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}

async function runTemporal(codec, clip, options) {
  const enc = codec.createStreamEncoder({
    coding: 'temporal',
    ...options,
    ...identityRate,
    frameRate: clip.fps,
  });
  const dec = codec.createStreamDecoder('temporal');
  const bits = [];
  const kinds = [];
  const rates = [];
  const steps = [];
  const decoded = [];
  const err = errorSums();
  for (const d of clip.descriptors) {
    const f = await enc.encodeFrame(d);
    const out = await dec.decodeFrame(f.packet);
    bits.push(f.packet.length * 8);
    kinds.push(f.kind);
    rates.push(f.rateIndex);
    if (f.motionStep !== undefined && f.kind === 'key') steps.push(Number(f.motionStep.toFixed(4)));
    addErrors(err, d, out.descriptor);
    decoded.push(out.descriptor);
  }
  const total = bits.reduce((a, b) => a + b, 0);
  const seconds = clip.span / clip.fps;
  const count = (k) => kinds.filter((x) => x === k).length;
  return {
    bitrate: total / seconds,
    meanBitsByKind: Object.fromEntries(
      ['key', 'identity', 'delta', 'skip'].map((k) => {
        const b = bits.filter((_, i) => kinds[i] === k);
        return [k, b.length ? b.reduce((x, y) => x + y, 0) / b.length : null];
      }),
    ),
    bitsPerFrame: total / bits.length,
    kinds: { key: count('key'), identity: count('identity'), delta: count('delta'), skip: count('skip') },
    rateIndices: [...new Set(rates)],
    ...(steps.length ? { keySteps: steps } : {}),
    mae: mean(err, clip.descriptors.length),
    labelAgreement: await labelAgreement(clip, decoded),
    otherHeadAgreement: await otherAgreement(clip, decoded),
    bits,
    kindsPerFrame: kinds,
    totalBits: total,
    seconds,
  };
}

/** Intra: each frame alone, expression-profile model at `rateIndex`, `rans`; payload bits + v1 delta framing (9 bytes). */
async function runIntra(codec, clip, rateIndex) {
  const bytes = await codec.encode(clip.descriptors, { profile: 'expression', rateIndex, coder: 'rans' });
  const out = await codec.decode(bytes);
  const payload = out.payloadBytes.reduce((a, b) => a + b, 0) * 8;
  const err = errorSums();
  clip.descriptors.forEach((d, i) => addErrors(err, d, out.descriptors[i]));
  const seconds = clip.span / clip.fps;
  return {
    payloadBitrate: payload / seconds,
    packetBitrate: (payload + clip.descriptors.length * 9 * 8) / seconds,
    mae: mean(err, clip.descriptors.length),
    labelAgreement: await labelAgreement(clip, out.descriptors),
  };
}

/**
 * Task-level error: the share of frames whose SDK expression-head label (FER2013 classes) on the decoded
 * descriptor equals the label on the uncoded one. Null without head models.
 */
const heads = await ReceiverHeads.load().catch(() => undefined);
/**
 * --other-heads DIR: the same agreement with a second expression head that no encoder uses (a check that
 * an encoder keeping the SDK head's label (taskLabel) keeps the expression, not one network's boundaries).
 */
const otherHeads = values['other-heads']
  ? await ReceiverHeads.load({ modelsDir: values['other-heads'] })
  : undefined;
const referenceLabels = new Map();
async function agreement(h, key, clip, decoded) {
  if (!referenceLabels.has(key))
    referenceLabels.set(
      key,
      (await h.expressions(clip.descriptors)).map((r) => r.label),
    );
  const ref = referenceLabels.get(key);
  const got = (await h.expressions(decoded)).map((r) => r.label);
  return got.filter((l, i) => l === ref[i]).length / got.length;
}
async function labelAgreement(clip, decoded) {
  if (!heads) return null;
  return agreement(heads, clip.name, clip, decoded);
}
/** Agreement with --other-heads; null without. */
async function otherAgreement(clip, decoded) {
  if (!otherHeads) return null;
  return agreement(otherHeads, `other:${clip.name}`, clip, decoded);
}

const COLORS = { key: '#d62728', identity: '#ff7f0e', delta: '#1f77b4', skip: '#9aa0a6' };

function plotSvg(clip, runs) {
  const W = 960;
  const H = 150 * runs.length + 40;
  const left = 56;
  const plotW = W - left - 20;
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/>`;
  svg += `<text x="${left}" y="18" font-size="14">${clip.name}: bits per frame at ${clip.fps} fps (red key, orange identity update, blue delta, grey skip)</text>`;
  runs.forEach(({ label, r }, k) => {
    const top = 32 + k * 150;
    const h = 110;
    const cap = Math.max(64, ...r.bits.filter((_, i) => r.kindsPerFrame[i] !== 'key'));
    const yMax = Math.ceil(cap / 16) * 16;
    const bw = plotW / r.bits.length;
    svg += `<text x="${left}" y="${top + 10}">${label}: ${(r.bitrate / 1000).toFixed(2)} kbit/s, expression MAE ${r.mae.expression.toFixed(3)} (key frames clipped at ${yMax} bits)</text>`;
    svg += `<line x1="${left}" y1="${top + 14 + h}" x2="${left + plotW}" y2="${top + 14 + h}" stroke="#444"/>`;
    svg += `<line x1="${left}" y1="${top + 14}" x2="${left}" y2="${top + 14 + h}" stroke="#444"/>`;
    for (const v of [0, yMax / 2, yMax]) {
      const y = top + 14 + h - (v / yMax) * h;
      svg += `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${v}</text>`;
    }
    r.bits.forEach((b, i) => {
      const bh = Math.max(1, (Math.min(b, yMax) / yMax) * h);
      svg += `<rect x="${(left + i * bw).toFixed(2)}" y="${(top + 14 + h - bh).toFixed(2)}" width="${Math.max(0.8, bw - 0.3).toFixed(2)}" height="${bh.toFixed(2)}" fill="${COLORS[r.kindsPerFrame[i]]}"/>`;
    });
    const avg = r.bitsPerFrame;
    const ay = top + 14 + h - (Math.min(avg, yMax) / yMax) * h;
    svg += `<line x1="${left}" y1="${ay}" x2="${left + plotW}" y2="${ay}" stroke="black" stroke-dasharray="4 3"/>`;
  });
  svg += `<text x="${left}" y="${H - 6}">frame (dashed: mean bits per frame)</text></svg>`;
  return svg;
}

const codec = await SemfaceCodec.load(values.models ? { modelsDir: values.models } : {});
const motionRates = [
  ...new Set(codec.store.models.filter((m) => m.profile === 'expression').map((m) => m.rateIndex)),
].sort((a, b) => a - b);
const top = motionRates[motionRates.length - 1];
const targets = values.target.split(',').map(Number);
const keyInterval = Number(values['key-interval']);
const identityRate =
  values['identity-rate'] === undefined ? {} : { identityRateIndex: Number(values['identity-rate']) };
const clips = loadClips(values.cache);

/** Identity-code refreshes: bits of one (packet + framing) and the frames that carry one. */
const idRefresh =
  values['identity-code-refresh'] === undefined ? undefined : Number(values['identity-code-refresh']);
let idCode;
if (idRefresh !== undefined) {
  if (!(idRefresh > 0)) throw new Error('--identity-code-refresh: need seconds > 0');
  const model = await loadIdentityCodeModel();
  const rateIndex = Number(values['identity-code-rate']);
  const src = values['identity-code-embeddings'];
  const embedding =
    src && existsSync(src)
      ? readNpy(src).data.subarray(0, model.inputDim)
      : goldenEmbeddings(1, model.inputDim, 1)[0];
  const packet = encodeIdentityCode(model, embedding, rateIndex);
  const frameBits = Number(values['identity-code-frame-bits']);
  idCode = {
    refreshSeconds: idRefresh,
    rateIndex,
    codeBits: model.ratePoints[rateIndex].bits,
    packetBits: packet.length * 8,
    frameBits,
    bitsPerRefresh: packet.length * 8 + frameBits,
    embedding: src && existsSync(src) ? `${src} row 0` : 'goldenEmbeddings(1, dim, 1)',
  };
}
/** Frames (indices) at which a refresh is sent: the first, then the first frame of each new refresh period. */
function refreshFrames(clip) {
  const out = [];
  clip.times.forEach((t, i) => {
    if (i === 0 || Math.floor(t / idRefresh) > Math.floor(clip.times[i - 1] / idRefresh)) out.push(i);
  });
  return out;
}
const fixedSteps = values.steps ? values.steps.split(',').map(Number) : [];
const configs = [
  ...targets.map((t) => ({
    label: `target ${t / 1000} kbit/s`,
    plot: true,
    options: { motionLayer: 'latent', targetBitrate: t, keyFrameIntervalSeconds: keyInterval },
  })),
  // No rate control, no dead zone, top rate point: the same latents as intra at that rate, coded temporally.
  {
    label: `exact r${top}`,
    plot: true,
    options: {
      motionLayer: 'latent',
      targetBitrate: 0,
      deadZone: 0,
      rateIndex: top,
      keyFrameIntervalSeconds: keyInterval,
    },
  },
  ...targets.map((t) => ({
    label: `transform, target ${t / 1000} kbit/s`,
    plot: true,
    options: { motionLayer: 'transform', targetBitrate: t, keyFrameIntervalSeconds: keyInterval },
  })),
  // The encoder keeps the SDK expression head's label (TemporalStreamOptions.taskLabel).
  ...(values['task-label'] && heads
    ? targets.map((t) => ({
        label: `transform + label, target ${t / 1000} kbit/s`,
        plot: true,
        options: {
          motionLayer: 'transform',
          targetBitrate: t,
          keyFrameIntervalSeconds: keyInterval,
          taskLabel: async (d) => (await heads.expression(d)).label,
        },
      }))
    : []),
  // Fixed step, rate control off, base rounding offset (dead zone 1): the transform layer's rate-error curve.
  ...fixedSteps.map((step) => ({
    label: `transform, step ${step}`,
    plot: false,
    options: {
      motionLayer: 'transform',
      targetBitrate: 0,
      motionStep: step,
      keyFrameIntervalSeconds: keyInterval,
    },
  })),
];
const low = motionRates[0];

const results = [];
const agg = Object.fromEntries(
  [...configs.map((c) => c.label), 'intra', 'intraLow'].map((l) => [
    l,
    { bits: 0, seconds: 0, frames: 0, err: errorSums(), agree: 0 },
  ]),
);
for (const clip of clips) {
  const row = {
    clip: clip.name,
    fps: clip.fps,
    frames: clip.descriptors.length,
    span: clip.span,
    temporal: {},
  };
  const runs = [];
  const refreshes = idCode ? refreshFrames(clip) : [];
  if (idCode) row.identityCode = { refreshes: refreshes.length, frames: refreshes };
  for (const c of configs) {
    const r = await runTemporal(codec, clip, c.options);
    if (c.plot) runs.push({ label: c.label, r });
    const { bits, kindsPerFrame, ...summary } = r;
    row.temporal[c.label] = summary;
    const a = agg[c.label];
    if (idCode) {
      const codeBits = refreshes.length * idCode.bitsPerRefresh;
      // Framed: every temporal packet + one v2 compact frame header (the identity code's frames already have theirs).
      const framed = r.totalBits + bits.length * idCode.frameBits;
      summary.withIdentityCode = {
        bitrate: (r.totalBits + codeBits) / r.seconds,
        growth: codeBits / r.totalBits,
        framedBitrate: framed / r.seconds,
        framedWithCodeBitrate: (framed + codeBits) / r.seconds,
        framedGrowth: codeBits / framed,
      };
      a.codeBits = (a.codeBits ?? 0) + codeBits;
      a.framedBits = (a.framedBits ?? 0) + framed;
    }
    a.bits += r.totalBits;
    a.seconds += r.seconds;
    a.frames += clip.descriptors.length;
    for (const g of GROUPS) a.err[g] += r.mae[g] * clip.descriptors.length;
    a.agree += (r.labelAgreement ?? 0) * clip.descriptors.length;
    a.otherAgree = (a.otherAgree ?? 0) + (r.otherHeadAgreement ?? 0) * clip.descriptors.length;
  }
  row.intra = await runIntra(codec, clip, top);
  row.intraLow = await runIntra(codec, clip, low);
  for (const k of ['intra', 'intraLow']) {
    const a = agg[k];
    a.bits += (row[k].packetBitrate * clip.span) / clip.fps;
    a.seconds += clip.span / clip.fps;
    a.frames += clip.descriptors.length;
    for (const g of GROUPS) a.err[g] += row[k].mae[g] * clip.descriptors.length;
    a.agree += (row[k].labelAgreement ?? 0) * clip.descriptors.length;
  }
  results.push(row);
  const t0 = row.temporal[configs[0].label];
  process.stdout.write(
    `${clip.name.padEnd(44)} ${String(clip.fps).padStart(2)} fps ${String(clip.descriptors.length).padStart(4)} fr  ${configs.map((c) => `${(row.temporal[c.label].bitrate / 1000).toFixed(2)}`).join(' / ')} kbit/s  exprMAE ${t0.mae.expression.toFixed(3)}  | intra r${top} ${(row.intra.packetBitrate / 1000).toFixed(2)} kbit/s exprMAE ${row.intra.mae.expression.toFixed(3)}\n`,
  );
  if (values.plots) {
    const sharp = createRequire(new URL('../packages/extractor/package.json', import.meta.url))('sharp');
    mkdirSync(values.out, { recursive: true });
    await sharp(Buffer.from(plotSvg(clip, runs)))
      .png()
      .toFile(join(values.out, `${clip.name}.png`));
  }
}
const overall = Object.fromEntries(
  Object.entries(agg).map(([l, a]) => [
    l,
    {
      bitrate: a.bits / a.seconds,
      frames: a.frames,
      seconds: a.seconds,
      mae: mean(a.err, a.frames),
      labelAgreement: heads ? a.agree / a.frames : null,
      ...(otherHeads && a.otherAgree !== undefined ? { otherHeadAgreement: a.otherAgree / a.frames } : {}),
      ...(a.codeBits === undefined
        ? {}
        : {
            withIdentityCode: {
              bitrate: (a.bits + a.codeBits) / a.seconds,
              growth: a.codeBits / a.bits,
              framedBitrate: a.framedBits / a.seconds,
              framedWithCodeBitrate: (a.framedBits + a.codeBits) / a.seconds,
              framedGrowth: a.codeBits / a.framedBits,
            },
          }),
    },
  ]),
);
for (const [l, o] of Object.entries(overall)) {
  process.stdout.write(
    `overall ${l.padEnd(32)} ${(o.bitrate / 1000).toFixed(3)} kbit/s  MAE ${GROUPS.map((g) => `${g} ${o.mae[g].toFixed(3)}`).join(', ')}${o.labelAgreement === null ? '' : `  expression label = uncoded ${(100 * o.labelAgreement).toFixed(1)} %`}${o.otherHeadAgreement === undefined ? '' : ` (other head ${(100 * o.otherHeadAgreement).toFixed(1)} %)`}\n`,
  );
  const w = o.withIdentityCode;
  if (w)
    process.stdout.write(
      `  + identity code every ${idCode.refreshSeconds} s (${idCode.bitsPerRefresh} bits each): ${(w.bitrate / 1000).toFixed(3)} kbit/s (+${(100 * w.growth).toFixed(2)} %); with v2 framing on every frame ${(w.framedBitrate / 1000).toFixed(3)} -> ${(w.framedWithCodeBitrate / 1000).toFixed(3)} kbit/s (+${(100 * w.framedGrowth).toFixed(2)} %)\n`,
    );
}
mkdirSync(values.out, { recursive: true });
const models = codec.store.models.map((m) => ({ id: m.id, profile: m.profile, rateIndex: m.rateIndex }));
writeFileSync(
  join(values.out, 'results.json'),
  `${JSON.stringify({ cache: values.cache, keyIntervalSeconds: keyInterval, intraRateIndex: top, intraLowRateIndex: low, ...(idCode ? { identityCode: { ...idCode, refreshes: results.reduce((n, r) => n + r.identityCode.refreshes, 0) } } : {}), models, overall, clips: results }, null, 1)}\n`,
);
