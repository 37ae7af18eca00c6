#!/usr/bin/env node
/**
 * Jitter of the video tracking path (FaceDescriptorExtractor: FaceMeshDetector.track + FaceFitter.fit
 * + expression refinement) with and without the temporal stabiliser (docs/streaming.md, "Temporal
 * stabilisation").
 *
 *   node scripts/measure-jitter.mjs [--videos ../shared/data/videos] [--max-frames N] [--out FILE.json]
 *       [--min-cutoff HZ] [--beta B] [--derivative-cutoff HZ] [--no-refine]
 *       [--sweep [--sweep-min-cutoff 0.2,0.4,0.7,1] [--sweep-beta 5,10,20,40]]
 *
 * Clips: (1) "still photo": the face-api demo photo sample2.jpg (its rightmost face, a 500x500 window)
 * rendered in-process as a 10 s, 25 fps clip, each frame shifted by a random integer -2..2 px in x and y
 * and given Gaussian sensor noise (sigma 4 levels per channel), seeded; (2) every clip in --videos when
 * the folder exists (skipped otherwise).
 * Each clip runs once through `track()` with the stabiliser on: it returns the filtered mesh and the
 * detector's own (`rawMesh`), which is exactly what `track()` gives with `stabilize: false` (the crop
 * always follows the raw mesh). Both are fitted with the default FaceFitter and, unless --no-refine,
refined (emotion crop from each mesh's own box, emotion values through the tracking path's moving
 * average), as `FaceDescriptorExtractor.extract` / `fitFaces` do.
 * Reported per clip: frame-to-frame jitter = std over frames of the change between consecutive
 * frames, RMS over the components of expression 80:144 and rotation 224:227 (degrees); and the fit
 * error = mean 2-D distance of the mesh rebuilt from the descriptor to the detected (raw) mesh, % of
 * the detected outer-eye-corner distance (as docs/face-model.md). --sweep re-filters the stored raw
 * meshes offline with other settings (shape only, colours not needed, no refinement: the frames are not
 * kept) and prints a table.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  EmotionSmoother,
  FaceDescriptorExtractor,
  MESH_STABILIZER_DEFAULTS,
  MeshStabilizer,
  readVideoFrames,
} from '../packages/extractor/dist/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    videos: { type: 'string', default: join(root, '../shared/data/videos') },
    'max-frames': { type: 'string' },
    out: { type: 'string' },
    'min-cutoff': { type: 'string' },
    beta: { type: 'string' },
    'derivative-cutoff': { type: 'string' },
    'no-refine': { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    'sweep-min-cutoff': { type: 'string', default: '0.2,0.4,0.7,1' },
    'sweep-beta': { type: 'string', default: '5,10,20,40' },
  },
});
const maxFrames = values['max-frames'] ? Number(values['max-frames']) : Number.POSITIVE_INFINITY;
const stabilizer = {
  ...MESH_STABILIZER_DEFAULTS,
  ...(values['min-cutoff'] ? { minCutoff: Number(values['min-cutoff']) } : {}),
  ...(values.beta ? { beta: Number(values.beta) } : {}),
  ...(values['derivative-cutoff'] ? { derivativeCutoff: Number(values['derivative-cutoff']) } : {}),
};

const out = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`${line}\n`);

const EXPRESSION = [80, 144];
const ROTATION = [224, 227];
const V = 468;

// sharp and the demo photos are dependencies of @semface/extractor: resolve them from there.
const extractorRequire = createRequire(join(root, 'packages/extractor/package.json'));
const sharp = extractorRequire('sharp');
const demoDir = join(dirname(extractorRequire.resolve('@vladmandic/face-api/package.json')), 'demo');

const refine = !values['no-refine'];
const extractor = await FaceDescriptorExtractor.create({
  intraOpNumThreads: 1,
  refine,
  detector: { stabilizer },
});
const { fitter } = extractor;
const { eyeRightOuter, eyeLeftOuter } = fitter.model.landmarks;

/** Seeded uniform [0, 1). */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** The still photo as a 10 s, 25 fps clip: random +/-2 px shifts and sensor noise per frame. */
async function* stillClip() {
  const { data, info } = await sharp(join(demoDir, 'sample2.jpg'))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [left, top, size, fps, seconds, sigma] = [1300, 50, 500, 25, 10, 4];
  const rnd = lcg(2026);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  for (let t = 0; t < fps * seconds; t++) {
    const dx = Math.floor(rnd() * 5) - 2;
    const dy = Math.floor(rnd() * 5) - 2;
    const out = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
      const src = ((top + dy + y) * info.width + left + dx) * 4;
      for (let x = 0; x < size * 4; x++) {
        const v = (x & 3) === 3 ? 255 : data[src + x] + sigma * gauss();
        out[y * size * 4 + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
    yield { frame: { width: size, height: size, data: out }, timestampMs: (t * 1000) / fps };
  }
}

function iodOf(mesh) {
  const a = eyeRightOuter * 3;
  const b = eyeLeftOuter * 3;
  return Math.hypot(mesh[a] - mesh[b], mesh[a + 1] - mesh[b + 1], mesh[a + 2] - mesh[b + 2]);
}

/** Bounding box of a mesh's first V points (what the detector reports as a face's box). */
function boxOf(mesh) {
  let [x0, y0, x1, y1] = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (let i = 0; i < V; i++) {
    x0 = Math.min(x0, mesh[i * 3]);
    x1 = Math.max(x1, mesh[i * 3]);
    y0 = Math.min(y0, mesh[i * 3 + 1]);
    y1 = Math.max(y1, mesh[i * 3 + 1]);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Mean 2-D distance of the descriptor's rebuilt mesh to `detected`, % of its 3-D IOD. */
function fitError(descriptor, detected, frameSize) {
  const rebuilt = fitter.meshFromDescriptor(descriptor, frameSize).positions;
  let sum = 0;
  for (let i = 0; i < V; i++) {
    sum += Math.hypot(rebuilt[i * 3] - detected[i * 3], rebuilt[i * 3 + 1] - detected[i * 3 + 1]);
  }
  return (100 * sum) / V / iodOf(detected);
}

/** Frame-to-frame jitter of descriptor[from:to] (RMS over components of the std of the change). */
function jitter(descriptors, [from, to], scale = 1) {
  let total = 0;
  for (let c = from; c < to; c++) {
    const d = [];
    for (let t = 1; t < descriptors.length; t++) {
      if (descriptors[t] && descriptors[t - 1]) d.push((descriptors[t][c] - descriptors[t - 1][c]) * scale);
    }
    const mean = d.reduce((s, x) => s + x, 0) / d.length;
    total += d.reduce((s, x) => s + (x - mean) ** 2, 0) / d.length;
  }
  return Math.sqrt(total / (to - from));
}

const DEG = 180 / Math.PI;
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Runs one clip through track + fit (+ refinement); returns the jitter/fit-error rows and the stored raw meshes. */
async function measure(name, frames) {
  extractor.resetTracking();
  // The raw path's own emotion average (extract keeps the stabilised path's).
  const rawSmoother = new EmotionSmoother();
  const raw = [];
  const filtered = [];
  const rawMeshes = [];
  const filteredMeshes = [];
  const times = [];
  const errRaw = [];
  const errFiltered = [];
  const errOwn = [];
  let frameSize;
  let n = 0;
  for await (const { frame, timestampMs } of frames) {
    if (n++ >= maxFrames) break;
    frameSize = { width: frame.width, height: frame.height };
    const [fitted] = await extractor.extract(frame, { videoFrame: 'next', timestampMs });
    times.push(timestampMs);
    if (!fitted) {
      rawSmoother.reset();
      raw.push(undefined);
      filtered.push(undefined);
      rawMeshes.push(undefined);
      filteredMeshes.push(undefined);
      continue;
    }
    const { face } = fitted;
    const rawFace = { ...face, box: boxOf(face.rawMesh), mesh: face.rawMesh, rawMesh: undefined };
    const [unfiltered] = await extractor.fitFaces(frame, [rawFace], { emotionSmoother: rawSmoother });
    const a = unfiltered.descriptor;
    const b = fitted.descriptor;
    errOwn.push(fitted.fitErrorPercent);
    raw.push(a);
    filtered.push(b);
    rawMeshes.push(face.rawMesh);
    filteredMeshes.push(face.mesh);
    errRaw.push(fitError(a, face.rawMesh, frameSize));
    errFiltered.push(fitError(b, face.rawMesh, frameSize));
  }
  const row = {
    clip: name,
    frames: raw.length,
    faces: raw.filter(Boolean).length,
    expression: { before: jitter(raw, EXPRESSION), after: jitter(filtered, EXPRESSION) },
    rotationDeg: { before: jitter(raw, ROTATION, DEG), after: jitter(filtered, ROTATION, DEG) },
    fitErrorPercentIod: { before: mean(errRaw), after: mean(errFiltered) },
    // After: the rebuilt mesh against the stabilised mesh the fit was given.
    fitErrorOwnPercentIod: mean(errOwn),
  };
  // Sanity: the offline filter over the raw meshes reproduces track()'s meshes.
  const offline = offlineMeshes(rawMeshes, times, stabilizer);
  row.offlineMatchesTrack = offline.every(
    (m, t) => m === filteredMeshes[t] || m.every((x, i) => Math.abs(x - filteredMeshes[t][i]) < 1e-3),
  );
  return { row, rawMeshes, times, frameSize };
}

/** Stored raw meshes through an offline stabiliser (`options`, or none: the raw meshes). */
function offlineMeshes(rawMeshes, times, options) {
  const s = options ? new MeshStabilizer(options) : undefined;
  return rawMeshes.map((m, t) => {
    if (!m) {
      s?.reset();
      return undefined;
    }
    return s ? s.filter(m, times[t] / 1000) : m;
  });
}

/** Shape-only refit (no refinement) of stored raw meshes through an offline stabiliser (`options`, or none). */
function refit(rawMeshes, times, frameSize, options) {
  const colors = new Float32Array(fitter.model.vertexCount * 3).fill(Number.NaN);
  return offlineMeshes(rawMeshes, times, options).map((mesh, t) => {
    if (!mesh) return undefined;
    const m = rawMeshes[t];
    const face = {
      box: { x: 0, y: 0, width: 1, height: 1 },
      score: 1,
      meshScore: 1,
      mesh,
      pointCount: m.length / 3,
    };
    return fitter.fitWithColors(face, colors, frameSize).descriptor;
  });
}

const clips = [{ name: 'still photo (sample2, noise + ±2 px shifts)', frames: () => stillClip() }];
if (existsSync(values.videos)) {
  for (const f of readdirSync(values.videos)
    .filter((f) => f.endsWith('.mp4'))
    .sort()) {
    clips.push({ name: f.replace(/\.mp4$/, ''), frames: () => readVideoFrames(join(values.videos, f)) });
  }
} else {
  note(`no ${values.videos}: real clips skipped`);
}

const rows = [];
const stored = [];
for (const c of clips) {
  const r = await measure(c.name, c.frames());
  rows.push(r.row);
  stored.push(r);
  const x = r.row;
  note(
    `${x.clip}: expression ${x.expression.before.toFixed(4)} -> ${x.expression.after.toFixed(4)}, rotation ${x.rotationDeg.before.toFixed(3)} -> ${x.rotationDeg.after.toFixed(3)} deg, fit error ${x.fitErrorPercentIod.before.toFixed(3)} -> ${x.fitErrorPercentIod.after.toFixed(3)} % IOD${x.offlineMatchesTrack ? '' : ' (offline filter differs!)'}`,
  );
}

const f = (x, d) => x.toFixed(d);
out(`stabiliser: ${JSON.stringify(stabilizer)}; expression refinement: ${refine ? 'on' : 'off'}\n`);
out(
  '| clip | frames | expression jitter before → after | rotation jitter (°) before → after | fit error % IOD before → after (vs stabilised mesh) |',
);
out('|---|---|---|---|---|');
const line = (x) =>
  `| ${x.clip} | ${x.faces}/${x.frames} | ${f(x.expression.before, 4)} → ${f(x.expression.after, 4)} (${f(x.expression.before / x.expression.after, 1)}x) | ${f(x.rotationDeg.before, 3)} → ${f(x.rotationDeg.after, 3)} (${f(x.rotationDeg.before / x.rotationDeg.after, 1)}x) | ${f(x.fitErrorPercentIod.before, 3)} → ${f(x.fitErrorPercentIod.after, 3)} (${f(x.fitErrorOwnPercentIod, 3)}) |`;
for (const x of rows) out(line(x));
if (rows.length > 1) {
  const real = rows.slice(1);
  const avg = (g) => mean(real.map(g));
  out(
    line({
      clip: `real clips (mean of ${real.length})`,
      faces: real.reduce((s, x) => s + x.faces, 0),
      frames: real.reduce((s, x) => s + x.frames, 0),
      expression: { before: avg((x) => x.expression.before), after: avg((x) => x.expression.after) },
      rotationDeg: { before: avg((x) => x.rotationDeg.before), after: avg((x) => x.rotationDeg.after) },
      fitErrorPercentIod: {
        before: avg((x) => x.fitErrorPercentIod.before),
        after: avg((x) => x.fitErrorPercentIod.after),
      },
      fitErrorOwnPercentIod: avg((x) => x.fitErrorOwnPercentIod),
    }),
  );
}

if (values.sweep) {
  out(
    '\n| minCutoff | beta | still: expression / rotation cut | real: expression / rotation cut | real: fit error % IOD (every 4th frame) |',
  );
  out('|---|---|---|---|---|');
  const base = stored.map((s) => refit(s.rawMeshes, s.times, s.frameSize, undefined));
  for (const minCutoff of values['sweep-min-cutoff'].split(',').map(Number)) {
    for (const beta of values['sweep-beta'].split(',').map(Number)) {
      const o = { ...stabilizer, minCutoff, beta };
      const refits = stored.map((s) => refit(s.rawMeshes, s.times, s.frameSize, o));
      const cut = refits.map((d, i) => [
        jitter(base[i], EXPRESSION) / jitter(d, EXPRESSION),
        jitter(base[i], ROTATION) / jitter(d, ROTATION),
      ]);
      const realCut = cut.slice(1);
      const r = realCut.length
        ? `${f(mean(realCut.map((c) => c[0])), 2)} / ${f(mean(realCut.map((c) => c[1])), 2)}`
        : '-';
      const errs = [];
      let worst = 0;
      for (const [i, s] of stored.entries()) {
        if (i === 0) continue;
        const d = refits[i];
        const clip = [];
        for (let t = 0; t < d.length; t += 4)
          if (d[t]) clip.push(fitError(d[t], s.rawMeshes[t], s.frameSize));
        errs.push(...clip);
        worst = Math.max(worst, mean(clip));
      }
      const e = errs.length ? `${f(mean(errs), 3)} (worst clip ${f(worst, 3)})` : '-';
      out(`| ${minCutoff} | ${beta} | ${f(cut[0][0], 2)} / ${f(cut[0][1], 2)} | ${r} | ${e} |`);
    }
  }
}

if (values.out) writeFileSync(values.out, `${JSON.stringify({ stabilizer, refine, rows }, null, 2)}\n`);
await extractor.dispose();
