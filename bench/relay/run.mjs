// Relay load benchmark: `pnpm bench:relay` (build first). Loopback only, bounded in time.
//   Phase 1: single node, 50 rooms x 4 clients x 25 fps (5,000 frames/s in, 15,000/s out), one slow client per room.
//   Phase 2: the same over two nodes sharing rooms through NATS (skipped if nats-server is absent).
//   Phase 3: single node, rising fps per client until p99 > 20 ms or healthy loss > 1%.
// Env: BENCH_DURATION_MS (default 20000), BENCH_ROOMS (50), BENCH_FPS (25), BENCH_STEP_MS (8000).
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const services = resolve(here, '../../scripts/services/service.sh');
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 20_000);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 50);
const FPS = Number(process.env.BENCH_FPS ?? 25);
const STEP_MS = Number(process.env.BENCH_STEP_MS ?? 8_000);
const LOADERS = 2;
/** Client protocol: 2 (compact frames) or 1 (protobuf frames, to compare with earlier runs). */
const PROTOCOL = Number(process.env.BENCH_PROTOCOL ?? 2);
const secret = randomBytes(32).toString('hex');
const out = (s) => process.stdout.write(`${s}\n`);

function once(child, key) {
  return new Promise((res, rej) => {
    const onMsg = (m) => {
      if (m && typeof m === 'object' && key in m) {
        child.off('message', onMsg);
        res(m[key]);
      }
    };
    child.on('message', onMsg);
    child.once('exit', (code) => rej(new Error(`child exited with ${code} before '${key}'`)));
  });
}

async function startNode(port, busUrl, nodeId) {
  const child = fork(resolve(here, 'relay-node.mjs'), [String(port), busUrl, nodeId, secret], {
    stdio: 'inherit',
  });
  const url = await once(child, 'ready');
  return { child, url };
}

async function stopNode(node) {
  const reply = once(node.child, 'metrics');
  node.child.send('metrics');
  const metrics = await reply;
  node.child.send('stop');
  await new Promise((r) => node.child.once('exit', r));
  return metrics;
}

function histogramP99(metricsText) {
  const buckets = [
    ...metricsText.matchAll(/semface_relay_latency_seconds_bucket\{le="([^"]+)"\} (\d+)/g),
  ].map((m) => [m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2])]);
  const total = buckets.at(-1)?.[1] ?? 0;
  const hit = buckets.find(([, c]) => c >= total * 0.99);
  const dropped = [
    ...metricsText.matchAll(/semface_relay_frames_dropped_total\{reason="[a-z_]+"\} (\d+)/g),
  ].reduce((s, m) => s + Number(m[1]), 0);
  const counter = (name) => Number(metricsText.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? Number.NaN);
  return {
    serverP99UpperBoundMs: hit ? hit[0] * 1000 : Number.NaN,
    serverDrops: dropped,
    bytesIn: counter('semface_relay_bytes_in_total'),
    bytesOut: counter('semface_relay_bytes_out_total'),
  };
}

async function runLoad(urls, fps, durationMs, rooms) {
  const per = Math.ceil(rooms / LOADERS);
  const loaders = [];
  for (let i = 0; i < LOADERS; i++) {
    const n = Math.min(per, rooms - i * per);
    if (n <= 0) break;
    const cfg = {
      urls,
      secret,
      fps,
      durationMs,
      warmupMs: Math.min(2000, durationMs / 4),
      firstRoom: i * per,
      rooms: n,
      protocol: PROTOCOL,
    };
    loaders.push(fork(resolve(here, 'load-client.mjs'), [JSON.stringify(cfg)], { stdio: 'inherit' }));
  }
  await Promise.all(loaders.map((c) => once(c, 'ready')));
  const results = loaders.map((c) => once(c, 'result'));
  for (const c of loaders) c.send('go');
  const rs = await Promise.all(results);
  const lat = rs.flatMap((r) => r.lat).sort((a, b) => a - b);
  const q = (p) =>
    lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] / 1000 : Number.NaN;
  const sum = (k) => rs.reduce((s, r) => s + r[k], 0);
  const seconds = durationMs / 1000;
  return {
    fps,
    framesInPerSec: Math.round(sum('sent') / seconds),
    framesOutHealthyPerSec: Math.round(sum('received') / seconds),
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: lat.length ? lat.at(-1) / 1000 : Number.NaN,
    healthyLossPct: 100 * (1 - sum('received') / Math.max(1, sum('expected'))),
    slowClientDeliveredPct: (100 * sum('slowReceived')) / Math.max(1, sum('slowExpected')),
    samples: lat.length,
  };
}

const fmt = (r) =>
  `fps/client ${r.fps}: in ${r.framesInPerSec}/s, out(healthy) ${r.framesOutHealthyPerSec}/s, ` +
  `latency p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms max ${r.maxMs.toFixed(1)} ms, ` +
  `healthy loss ${r.healthyLossPct.toFixed(3)}%, slow client got ${r.slowClientDeliveredPct.toFixed(1)}%`;

// Relays listen on port 0 (any free port); NATS gets a port below the ephemeral range.
const port = () => 0;
const natsTestPort = () => 14000 + Math.floor(Math.random() * 2000);
const summary = {};

out(
  `# relay load: ${ROOMS} rooms x 4 clients x ${FPS} fps, 1 slow client/room, ${DURATION / 1000} s, loopback, protocol v${PROTOCOL}`,
);
{
  const node = await startNode(port(), 'memory', 'single');
  const r = await runLoad([node.url], FPS, DURATION, ROOMS);
  Object.assign(r, histogramP99(await stopNode(node)));
  summary.singleNode = r;
  out(
    `single node: ${fmt(r)}; server p99 <= ${r.serverP99UpperBoundMs} ms, server drops ${r.serverDrops}; ` +
      `bytes in ${Math.round(r.bytesIn / (DURATION / 1000))}/s, out ${Math.round(r.bytesOut / (DURATION / 1000))}/s`,
  );
}

const natsPresent = existsSync('/usr/sbin/nats-server') || existsSync('/usr/bin/nats-server');
if (natsPresent) {
  const natsPort = natsTestPort();
  execFileSync(services, ['start', 'nats', String(natsPort)], { stdio: 'ignore' });
  try {
    const bus = `nats://127.0.0.1:${natsPort}`;
    const a = await startNode(port(), bus, 'nodeA');
    const b = await startNode(port(), bus, 'nodeB');
    const r = await runLoad([a.url, b.url], FPS, DURATION, ROOMS);
    const ma = histogramP99(await stopNode(a));
    const mb = histogramP99(await stopNode(b));
    r.serverDrops = ma.serverDrops + mb.serverDrops;
    summary.twoNodesNats = r;
    out(`two nodes over NATS: ${fmt(r)}; server drops ${r.serverDrops}`);
  } finally {
    execFileSync(services, ['stop', 'nats', String(natsPort)], { stdio: 'ignore' });
  }
} else {
  out('skipped: nats-server not installed (two-node run)');
}

out(`# highest sustained rate (single node, ${STEP_MS / 1000} s steps, goal p99 <= 20 ms and loss <= 1%)`);
summary.steps = [];
for (const fps of [50, 100, 150, 200, 300]) {
  const node = await startNode(port(), 'memory', 'step');
  const r = await runLoad([node.url], fps, STEP_MS, ROOMS);
  Object.assign(r, histogramP99(await stopNode(node)));
  summary.steps.push(r);
  const ok = r.p99Ms <= 20 && r.healthyLossPct <= 1;
  out(`${ok ? 'ok  ' : 'FAIL'} ${fmt(r)}; server p99 <= ${r.serverP99UpperBoundMs} ms`);
  if (!ok) break;
}
const best = summary.steps.filter((r) => r.p99Ms <= 20 && r.healthyLossPct <= 1).at(-1);
out(
  best
    ? `highest sustained: ${best.framesInPerSec} frames/s in, ${best.framesOutHealthyPerSec} frames/s out to healthy clients (${best.fps} fps/client)`
    : 'highest sustained: below the 50 fps/client step',
);
out(`JSON ${JSON.stringify(summary, (k, v) => (k === 'lat' ? undefined : v))}`);
