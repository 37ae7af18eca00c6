#!/usr/bin/env node
/**
 * Measures the SDK avatar rig (@semface/sdk FaceRig: ARKit-52, VRM) on the talking-head clips:
 * jawOpen vs the rebuilt mesh's lip gap, eyeBlink vs each eye's aspect ratio (Pearson r), weight
 * ranges, left/right swap on mirrored faces, stillness on a still face, and the weights' error through
 * the codec (temporal stream at target rates, the SDK's default motion layer) with bytes per frame.
 *
 *   node scripts/measure-rig.mjs [--cache artifacts/cache/videos.npy] [--mirrored artifacts/cache/videos-hflip.npy]
 *       [--target 2000,1000] [--out docs/avatars] [--plots] [--rest] [--inverse] [--face-model DIR]
 * --cache: descriptors of the clips (`pnpm semface extract --dataset videos`); --mirrored: the same clips
 * flipped with ffmpeg hflip and extracted (optional); --rest: print the resting-face medians
 * (packages/sdk/src/rig/rest-face.ts) from the face model's 12 training clips and exit.
 * --face-model: the rig rebuilds faces with this face model (a folder as `training.facemodel.build` writes;
 * descriptors must come from the same model, `semface extract --face-model-dir DIR`) instead of the
 * embedded one; the codec check is skipped (the shipped codec models belong to the shipped face model).
 * --inverse: also ARKit weights -> descriptor (ArkitInverter, `semface encode --from-livelink`) -> weights,
 * on every 2nd frame (~15 ms a frame).
 * Writes <out>/rig-results.json and, with --plots, PNGs (SVG rendered by sharp).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DESCRIPTOR_LENGTH, SemfaceCodec } from '@semface/codec-core';
import {
  ARKIT_BLENDSHAPES,
  ArkitInverter,
  FACE_MEASURE_NAMES,
  INVERTIBLE_BLENDSHAPES,
  FaceRig,
  FaceRigModel,
  VRM_EXPRESSIONS,
  defaultFaceRigModel,
  measureFace,
  headPose,
  mirrorArkitName,
  mirrorHeadPose,
  mirrorRigShape,
  resolveMotionLayer,
  rigMirrorMap,
} from '@semface/sdk';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', default: 'artifacts/cache/videos.npy' },
    mirrored: { type: 'string' },
    target: { type: 'string', default: '2000,1000' },
    'key-interval': { type: 'string', default: '2' },
    out: { type: 'string', default: 'docs/avatars' },
    plots: { type: 'boolean', default: false },
    rest: { type: 'boolean', default: false },
    inverse: { type: 'boolean', default: false },
    'face-model': { type: 'string' },
  },
});

/** Held out of the face model's training (docs/face-model.md). */
const HELD_OUT = ['liveportrait-d9', 'sadtalker-WDA_KatieHill_000', 'video_retalking-face2'];

function readNpy(path) {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + headerLen).toString('latin1');
  const shape = header.match(/'shape': \((\d+), (\d+)\)/);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const start = buf.byteOffset + 10 + headerLen;
  return { rows, cols, data: new Float32Array(buf.buffer.slice(start, start + rows * cols * 4)) };
}

/** Per clip: first-face descriptors by frame index, and the frame rate. */
function loadClips(npyPath) {
  const npy = readNpy(npyPath);
  if (npy.cols !== DESCRIPTOR_LENGTH) throw new Error(`${npyPath}: ${npy.cols} columns`);
  const side = JSON.parse(readFileSync(npyPath.replace(/\.npy$/, '.json'), 'utf8'));
  const clips = new Map();
  side.rows.forEach((r, i) => {
    if (r.faceIndex !== 0 || r.frameIndex === null) return;
    const name = basename(r.source)
      .replace(/\.[^.]+$/, '')
      .replace(/-hflip$/, '');
    const c = clips.get(name) ?? { name, frames: [] };
    c.frames.push({ index: r.frameIndex, ms: r.timestampMs, d: npy.data.subarray(i * 257, (i + 1) * 257) });
    clips.set(name, c);
  });
  return new Map(
    [...clips].map(([name, c]) => {
      c.frames.sort((a, b) => a.index - b.index);
      const last = c.frames[c.frames.length - 1];
      const fps = last.ms > 0 ? Math.round((last.index * 1000) / last.ms) : 25;
      return [name, { name, fps, frames: c.frames, span: last.index - c.frames[0].index + 1 }];
    }),
  );
}

function pearson(xs, ys) {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const clips = loadClips(values.cache);
const rigModel = values['face-model']
  ? FaceRigModel.fromFaceModel(
      await (await import('../packages/face-model/dist/node.js')).loadFaceModel(values['face-model']),
    )
  : defaultFaceRigModel();
/** A fresh rig on the model the descriptors come from. */
const newRig = (options = {}) => new FaceRig({ ...options, model: rigModel });

if (values.rest) {
  const all = Object.fromEntries(FACE_MEASURE_NAMES.map((n) => [n, []]));
  for (const c of clips.values()) {
    if (HELD_OUT.includes(c.name)) continue;
    for (const f of c.frames) {
      const m = measureFace(rigModel, f.d);
      for (const n of FACE_MEASURE_NAMES) all[n].push(m[n]);
    }
  }
  const median = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  process.stdout.write(`frames: ${all.lipGap.length}\n`);
  for (const n of FACE_MEASURE_NAMES) process.stdout.write(`  ${n}: ${median(all[n]).toFixed(4)}\n`);
  process.exit(0);
}

/** Runs a fresh rig (one per clip, as a receiver keeps one per face) over descriptors. */
function rigClip(descriptors) {
  const rig = newRig();
  return descriptors.map((d) => rig.solve(d));
}

const weightVector = (f) => ARKIT_BLENDSHAPES.map((n) => f.arkit[n]);

const report = { cache: values.cache, clips: {}, overall: {} };
const pooled = { jaw: [], gap: [], blinkL: [], earL: [], blinkR: [], earR: [] };
let minWeight = Infinity;
let maxWeight = -Infinity;
const rigged = new Map();
for (const c of clips.values()) {
  const frames = rigClip(c.frames.map((f) => f.d));
  rigged.set(c.name, frames);
  const col = (fn) => frames.map(fn);
  const jaw = col((f) => f.arkit.jawOpen);
  const gap = col((f) => f.measures.lipGap);
  const blinkL = col((f) => f.arkit.eyeBlinkLeft);
  const earL = col((f) => f.measures.eyeOpenLeft);
  const blinkR = col((f) => f.arkit.eyeBlinkRight);
  const earR = col((f) => f.measures.eyeOpenRight);
  for (const f of frames) {
    for (const w of [...weightVector(f), ...VRM_EXPRESSIONS.map((n) => f.vrm.expressions[n])]) {
      minWeight = Math.min(minWeight, w);
      maxWeight = Math.max(maxWeight, w);
    }
  }
  pooled.jaw.push(...jaw);
  pooled.gap.push(...gap);
  pooled.blinkL.push(...blinkL);
  pooled.earL.push(...earL);
  pooled.blinkR.push(...blinkR);
  pooled.earR.push(...earR);
  report.clips[c.name] = {
    frames: frames.length,
    fps: c.fps,
    heldOut: HELD_OUT.includes(c.name),
    rJawOpenLipGap: pearson(jaw, gap),
    rBlinkLeftEarLeft: pearson(blinkL, earL),
    rBlinkRightEarRight: pearson(blinkR, earR),
  };
}
const per = Object.values(report.clips);
const meanOf = (k) => per.reduce((a, c) => a + c[k], 0) / per.length;
const minAbsOf = (k) => Math.min(...per.map((c) => Math.abs(c[k])));
report.overall.correlation = {
  jawOpenVsLipGap: {
    pooled: pearson(pooled.jaw, pooled.gap),
    clipMean: meanOf('rJawOpenLipGap'),
    clipMinAbs: minAbsOf('rJawOpenLipGap'),
  },
  eyeBlinkLeftVsAspectRatio: {
    pooled: pearson(pooled.blinkL, pooled.earL),
    clipMean: meanOf('rBlinkLeftEarLeft'),
    clipMinAbs: minAbsOf('rBlinkLeftEarLeft'),
  },
  eyeBlinkRightVsAspectRatio: {
    pooled: pearson(pooled.blinkR, pooled.earR),
    clipMean: meanOf('rBlinkRightEarRight'),
    clipMinAbs: minAbsOf('rBlinkRightEarRight'),
  },
};
// The same blink correlations with eye adaptation off (the average face's open eye as zero point).
{
  const bl = [];
  const el = [];
  const br = [];
  const er = [];
  const clipR = [];
  for (const c of clips.values()) {
    const rig = newRig({ adaptEyes: false });
    const fr = c.frames.map((f) => rig.solve(f.d));
    const l = [fr.map((f) => f.arkit.eyeBlinkLeft), fr.map((f) => f.measures.eyeOpenLeft)];
    const r = [fr.map((f) => f.arkit.eyeBlinkRight), fr.map((f) => f.measures.eyeOpenRight)];
    bl.push(...l[0]);
    el.push(...l[1]);
    br.push(...r[0]);
    er.push(...r[1]);
    clipR.push(pearson(...l), pearson(...r));
  }
  report.overall.correlation.fixedEyes = {
    eyeBlinkLeftPooled: pearson(bl, el),
    eyeBlinkRightPooled: pearson(br, er),
    clipMean: clipR.reduce((a, b) => a + b, 0) / clipR.length,
    clipMinAbs: Math.min(...clipR.map(Math.abs)),
  };
}
report.overall.weightRange = { min: minWeight, max: maxWeight, frames: pooled.jaw.length };

// Mirror, mesh: each frame's rebuilt mesh mirrored (x negated, left/right vertices swapped) with the
// head pose mirrored; a fresh rig per clip.
const mirrorMap = rigMirrorMap(rigModel);
const swapDiff = (a, b) => {
  let worst = 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    for (const name of ARKIT_BLENDSHAPES) {
      const d = Math.abs(a[i].arkit[name] - b[i].arkit[mirrorArkitName(name)]);
      worst = Math.max(worst, d);
      sum += d;
      n++;
    }
  }
  return { max: worst, mean: sum / n };
};
{
  let worst = 0;
  let sum = 0;
  let n = 0;
  for (const c of clips.values()) {
    const rig = newRig();
    const m = c.frames.map((f) =>
      rig.solveShape(mirrorRigShape(rigModel, rigModel.shape(f.d), mirrorMap), mirrorHeadPose(headPose(f.d))),
    );
    const r = swapDiff(rigged.get(c.name), m);
    report.clips[c.name].mirrorMesh = r;
    worst = Math.max(worst, r.max);
    sum += r.mean * c.frames.length;
    n += c.frames.length;
  }
  report.overall.mirrorMesh = { max: worst, mean: sum / n };
}

// Mirror, video: the clips flipped with ffmpeg and extracted again (frames matched by index).
if (values.mirrored && existsSync(values.mirrored)) {
  const flipped = loadClips(values.mirrored);
  const diffs = [];
  const byShape = Object.fromEntries(ARKIT_BLENDSHAPES.map((n) => [n, []]));
  let worst = 0;
  let compared = 0;
  for (const c of clips.values()) {
    const f = flipped.get(c.name);
    if (!f) continue;
    const byIndex = new Map(f.frames.map((x) => [x.index, x.d]));
    const common = c.frames.filter((x) => byIndex.has(x.index));
    compared += common.length;
    const a = rigClip(common.map((x) => x.d));
    const b = rigClip(common.map((x) => byIndex.get(x.index)));
    const r = swapDiff(a, b);
    report.clips[c.name].mirrorVideo = r;
    worst = Math.max(worst, r.max);
    for (let i = 0; i < a.length; i++)
      for (const name of ARKIT_BLENDSHAPES) {
        const d = Math.abs(a[i].arkit[name] - b[i].arkit[mirrorArkitName(name)]);
        diffs.push(d);
        byShape[name].push(d);
      }
  }
  diffs.sort((x, y) => x - y);
  const p99 = (v) => v[Math.floor(v.length * 0.99)];
  report.overall.mirrorVideo = {
    // Frame pairs compared: frames with a face in both the clip and its mirrored copy.
    frames: compared,
    max: worst,
    mean: diffs.reduce((x, y) => x + y, 0) / diffs.length,
    p99: p99(diffs),
    // Per ARKit shape, worst first: which measures break the symmetry.
    perShape: Object.fromEntries(
      Object.entries(byShape)
        .map(([n, v]) => {
          v.sort((x, y) => x - y);
          return [n, { max: v[v.length - 1], p99: p99(v), mean: v.reduce((x, y) => x + y, 0) / v.length }];
        })
        .sort((x, y) => y[1].p99 - x[1].p99),
    ),
  };
}

// Still face: each clip's middle frame held for 100 frames.
{
  let worst = 0;
  for (const c of clips.values()) {
    const d = c.frames[Math.floor(c.frames.length / 2)].d;
    const frames = rigClip(Array.from({ length: 100 }, () => d));
    for (const name of ARKIT_BLENDSHAPES) {
      const xs = frames.map((f) => f.arkit[name]);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
      worst = Math.max(worst, std);
    }
  }
  report.overall.stillFaceMaxStd = worst;
}

// Through the codec: uncoded vs decoded weights (fresh rigs on both), temporal stream as the SDK publishes.
const codec = await SemfaceCodec.load();
const targets = values['face-model'] ? [] : values.target.split(',').map(Number);
const LIVE_LINK_PACKET_BYTES = [264, 774];
report.overall.codec = {};
const decodedByTarget = new Map();
for (const target of targets) {
  const layer = resolveMotionLayer('auto', target / 1000);
  let absSum = 0;
  let count = 0;
  let bytes = 0;
  let frames = 0;
  let seconds = 0;
  const perClip = {};
  for (const c of clips.values()) {
    const enc = codec.createStreamEncoder({
      coding: 'temporal',
      motionLayer: layer,
      targetBitrate: target,
      keyFrameIntervalSeconds: Number(values['key-interval']),
      frameRate: c.fps,
    });
    const dec = codec.createStreamDecoder('temporal');
    const decoded = [];
    let clipBytes = 0;
    for (const f of c.frames) {
      const p = await enc.encodeFrame(f.d);
      clipBytes += p.packet.length;
      decoded.push((await dec.decodeFrame(p.packet)).descriptor);
    }
    const a = rigged.get(c.name);
    const b = rigClip(decoded);
    decodedByTarget.set(`${target}/${c.name}`, b);
    let clipAbs = 0;
    for (let i = 0; i < a.length; i++)
      for (const name of ARKIT_BLENDSHAPES) clipAbs += Math.abs(a[i].arkit[name] - b[i].arkit[name]);
    perClip[c.name] = {
      mae: clipAbs / (a.length * ARKIT_BLENDSHAPES.length),
      bytesPerFrame: clipBytes / c.frames.length,
    };
    absSum += clipAbs;
    count += a.length * ARKIT_BLENDSHAPES.length;
    bytes += clipBytes;
    frames += c.frames.length;
    seconds += c.span / c.fps;
  }
  report.overall.codec[`${target / 1000} kbit/s`] = {
    motionLayer: layer,
    blendshapeMae: absSum / count,
    worstClipMae: Math.max(...Object.values(perClip).map((p) => p.mae)),
    bitrate: (bytes * 8) / seconds,
    bytesPerFrame: bytes / frames,
    liveLinkPacketBytes: LIVE_LINK_PACKET_BYTES,
    perClip,
  };
}

// Inverse: weights (eyes not adapted, as the inverter assumes) -> descriptor -> weights again.
if (values.inverse) {
  let sum = 0;
  let n = 0;
  let worst = 0;
  for (const c of clips.values()) {
    const rig = newRig({ adaptEyes: false });
    const back = newRig({ adaptEyes: false });
    const inverter = new ArkitInverter();
    c.frames.forEach((fr, i) => {
      if (i % 2) return;
      const f = rig.solve(fr.d);
      const g = back.solve(inverter.descriptor(f.arkit, f.head));
      for (const name of INVERTIBLE_BLENDSHAPES) {
        const e = Math.abs(f.arkit[name] - g.arkit[name]);
        sum += e;
        n++;
        worst = Math.max(worst, e);
      }
    });
  }
  report.overall.inverse = { mae: sum / n, max: worst, shapes: INVERTIBLE_BLENDSHAPES.length, samples: n };
}

mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'rig-results.json'), `${JSON.stringify(report, null, 1)}\n`);
const o = report.overall;
const f3 = (x) => x.toFixed(3);
process.stdout.write(
  [
    `clips ${clips.size}, frames ${o.weightRange.frames}`,
    `r(jawOpen, lip gap): pooled ${f3(o.correlation.jawOpenVsLipGap.pooled)}, clip mean ${f3(o.correlation.jawOpenVsLipGap.clipMean)}, worst clip |r| ${f3(o.correlation.jawOpenVsLipGap.clipMinAbs)}`,
    `r(eyeBlinkLeft, left EAR): pooled ${f3(o.correlation.eyeBlinkLeftVsAspectRatio.pooled)}, clip mean ${f3(o.correlation.eyeBlinkLeftVsAspectRatio.clipMean)}, worst clip |r| ${f3(o.correlation.eyeBlinkLeftVsAspectRatio.clipMinAbs)}`,
    `r(eyeBlinkRight, right EAR): pooled ${f3(o.correlation.eyeBlinkRightVsAspectRatio.pooled)}, clip mean ${f3(o.correlation.eyeBlinkRightVsAspectRatio.clipMean)}, worst clip |r| ${f3(o.correlation.eyeBlinkRightVsAspectRatio.clipMinAbs)}`,
    `  eyes not adapted: r(blink, EAR) pooled L ${f3(o.correlation.fixedEyes.eyeBlinkLeftPooled)} R ${f3(o.correlation.fixedEyes.eyeBlinkRightPooled)}, clip mean ${f3(o.correlation.fixedEyes.clipMean)}, worst clip |r| ${f3(o.correlation.fixedEyes.clipMinAbs)}`,
    `weights (ARKit + VRM) in [${o.weightRange.min.toFixed(4)}, ${o.weightRange.max.toFixed(4)}]`,
    `mirror (mesh): max |L - mirrored R| ${f3(o.mirrorMesh.max)}, mean ${o.mirrorMesh.mean.toFixed(4)}`,
    o.mirrorVideo
      ? `mirror (video hflip, re-extracted, ${o.mirrorVideo.frames} frame pairs): max ${f3(o.mirrorVideo.max)}, p99 ${f3(o.mirrorVideo.p99)}, mean ${o.mirrorVideo.mean.toFixed(4)}`
      : 'mirror (video): no --mirrored cache',
    `still face: max frame-to-frame std ${o.stillFaceMaxStd.toFixed(4)}`,
    o.inverse
      ? `inverse (weights -> descriptor -> weights, ${o.inverse.shapes} shapes): MAE ${o.inverse.mae.toFixed(4)}, max ${f3(o.inverse.max)}`
      : 'inverse: not run (--inverse)',
    ...Object.entries(o.codec).map(
      ([k, v]) =>
        `codec ${k} (${v.motionLayer}): blendshape MAE ${v.blendshapeMae.toFixed(4)} (worst clip ${v.worstClipMae.toFixed(4)}), ${(v.bitrate / 1000).toFixed(2)} kbit/s, ${v.bytesPerFrame.toFixed(1)} bytes/frame vs Live Link Face ${LIVE_LINK_PACKET_BYTES.join('-')}`,
    ),
  ]
    .map((line) => `${line}\n`)
    .join(''),
);

if (values.plots) {
  const sharp = createRequire(new URL('../packages/extractor/package.json', import.meta.url))('sharp');
  const plot = async (file, title, series, frames, fps) => {
    const W = 960;
    const rowH = 120;
    const left = 150;
    const H = 40 + series.length * rowH;
    const pw = W - left - 20;
    let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="14">${title}</text>`;
    series.forEach((s, k) => {
      const top = 32 + k * rowH;
      const h = rowH - 24;
      const lo = s.lo ?? 0;
      const hi = s.hi ?? 1;
      svg += `<text x="${left - 8}" y="${top + h / 2}" text-anchor="end">${s.label}</text>`;
      svg += `<rect x="${left}" y="${top}" width="${pw}" height="${h}" fill="none" stroke="#bbb"/>`;
      svg += `<text x="${left + 2}" y="${top + 11}" fill="#888" font-size="10">${hi}</text><text x="${left + 2}" y="${top + h - 2}" fill="#888" font-size="10">${lo}</text>`;
      for (const line of s.lines) {
        const pts = line.values
          .map(
            (v, i) =>
              `${(left + (i / Math.max(1, frames - 1)) * pw).toFixed(1)},${(top + h - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * h).toFixed(1)}`,
          )
          .join(' ');
        svg += `<polyline points="${pts}" fill="none" stroke="${line.color}" stroke-width="1.4"${line.dash ? ' stroke-dasharray="4 3"' : ''}/>`;
      }
      svg += `<text x="${left + pw - 4}" y="${top + 11}" text-anchor="end" font-size="10">${s.lines.map((l) => `<tspan fill="${l.color}">${l.name}</tspan>`).join('<tspan fill="#888">\u00a0·\u00a0</tspan>')}</text>`;
    });
    svg += `<text x="${left}" y="${H - 4}">frame (${fps} fps, ${(frames / fps).toFixed(1)} s)</text></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(join(values.out, file));
  };
  for (const name of ['liveportrait-d9', 'sadtalker-WDA_KatieHill_000']) {
    const frames = rigged.get(name);
    const c = clips.get(name);
    if (!frames) continue;
    const w = (k) => frames.map((f) => f.arkit[k]);
    const coded = decodedByTarget.get(`${targets[0]}/${name}`);
    await plot(
      `weights-${name}.png`,
      `${name} (held out of the face model's training): rig outputs per frame`,
      [
        {
          label: 'jawOpen',
          lines: [
            { name: 'uncoded', color: '#1f77b4', values: w('jawOpen') },
            ...(coded
              ? [
                  {
                    name: `${targets[0] / 1000} kbit/s`,
                    color: '#d62728',
                    dash: true,
                    values: coded.map((f) => f.arkit.jawOpen),
                  },
                ]
              : []),
          ],
        },
        {
          label: 'lip gap (IOD)',
          lo: -0.05,
          hi: 0.45,
          lines: [{ name: 'mesh', color: '#444', values: frames.map((f) => f.measures.lipGap) }],
        },
        {
          label: 'eyeBlink L / R',
          lines: [
            { name: 'Left', color: '#2ca02c', values: w('eyeBlinkLeft') },
            { name: 'Right', color: '#9467bd', values: w('eyeBlinkRight') },
          ],
        },
        {
          label: 'eye aspect L / R',
          lo: 0,
          hi: 0.5,
          lines: [
            { name: 'Left', color: '#2ca02c', values: frames.map((f) => f.measures.eyeOpenLeft) },
            { name: 'Right', color: '#9467bd', values: frames.map((f) => f.measures.eyeOpenRight) },
          ],
        },
        {
          label: 'smile L / R',
          lines: [
            { name: 'Left', color: '#2ca02c', values: w('mouthSmileLeft') },
            { name: 'Right', color: '#9467bd', values: w('mouthSmileRight') },
          ],
        },
        {
          label: 'brows',
          lines: [
            { name: 'innerUp', color: '#ff7f0e', values: w('browInnerUp') },
            { name: 'downL', color: '#8c564b', values: w('browDownLeft') },
          ],
        },
        {
          label: 'VRM visemes',
          lines: ['aa', 'ih', 'ou', 'ee', 'oh'].map((k, i) => ({
            name: k,
            color: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'][i],
            values: frames.map((f) => f.vrm.expressions[k]),
          })),
        },
      ],
      frames.length,
      c.fps,
    );
  }
}
