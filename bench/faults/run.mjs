// Fault benchmark: `pnpm bench:faults` (build first). Loopback only, about 3 minutes.
//   For each bus (NATS, then Redis; skipped when the server binary is absent): two relay nodes
//   (child processes) share 50 rooms x 4 clients x 25 fps, clients spread over both nodes. After a
//   warm-up the bus server is restarted (stopped, BENCH_BUS_DOWN_MS down, started on the same port),
//   then one relay is killed with SIGKILL (its clients reconnect to the other node).
//   Then a healthy run and a hostile-load run (the same load on one node plus every attack of the
//   hostile suite, bench/faults/hostile-load.mjs) compare the relay's peak RSS (goal <= 1.5x).
// Per fault window: time until ghosts (peers of the dead node) are gone at the clients of the live
// node, frames lost by healthy clients (never disconnected in the window), time to the first
// decodable frame captured after the fault (per receiver/publisher pair), longest gap between
// key/identity frames per healthy client, peak RSS per relay.
// Markdown to stdout, JSON to artifacts/bench/faults.json.
// Env: BENCH_ROOMS (50), BENCH_FPS (25), BENCH_WARMUP_MS (6000), BENCH_PHASE_MS (12000),
//      BENCH_BUS_DOWN_MS (2000), BENCH_HOSTILE_MS (20000).
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const services = resolve(root, 'scripts/services/service.sh');
const ROOMS = Number(process.env.BENCH_ROOMS ?? 50);
const FPS = Number(process.env.BENCH_FPS ?? 25);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 6000);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 12_000);
const BUS_DOWN_MS = Number(process.env.BENCH_BUS_DOWN_MS ?? 2000);
const HOSTILE_MS = Number(process.env.BENCH_HOSTILE_MS ?? 20_000);
const LOADERS = 2;
const secret = randomBytes(32).toString('hex');
const out = (s) => process.stdout.write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/** Peak RSS of a process from /proc (VmHWM), sampled until it exits. */
function rssSampler(pid) {
  const s = { peak: 0, last: 0 };
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      s.last = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      s.peak = Math.max(s.peak, hwm, s.last);
    } catch {
      // exited
    }
  };
  const timer = setInterval(read, 200);
  return { s, read, stop: () => clearInterval(timer) };
}

async function startNode(busUrl, nodeId, options = {}) {
  const child = fork(resolve(here, 'relay-node.mjs'), [JSON.stringify({ secret, busUrl, nodeId, options })], {
    stdio: 'inherit',
  });
  const url = await once(child, 'ready');
  const port = Number(new URL(url).port);
  return { child, url, port, nodeId, rss: rssSampler(child.pid) };
}

async function stopNode(node) {
  node.rss.read();
  node.rss.stop();
  if (node.child.exitCode !== null || node.child.signalCode !== null) return node.rss.s.peak;
  node.child.send('stop');
  const t = setTimeout(() => node.child.kill('SIGKILL'), 15_000);
  await new Promise((r) => node.child.once('exit', r));
  clearTimeout(t);
  return node.rss.s.peak;
}

/** Drop / bus / error counters of a node (GET /metrics; loopback clients may read it). */
async function counters(node) {
  try {
    const res = await fetch(`http://127.0.0.1:${node.port}/metrics`);
    if (!res.ok) return { status: res.status };
    const text = await res.text();
    const out = {};
    for (const m of text.matchAll(
      /^(semface_relay_(?:frames_dropped|bus_[a-z_]+|errors|slow_consumers)[a-z_]*)(\{[^}]*\})? ([0-9.e+]+)$/gm,
    )) {
      if (Number(m[3]) > 0) out[`${m[1]}${m[2] ?? ''}`] = Number(m[3]);
    }
    return out;
  } catch (err) {
    return { error: err.message };
  }
}

function killNode(node) {
  node.rss.read();
  node.rss.stop();
  node.child.kill('SIGKILL');
}

async function startLoad(urls, maxSeconds) {
  const per = Math.ceil(ROOMS / LOADERS);
  const loaders = [];
  for (let i = 0; i < LOADERS; i++) {
    const n = Math.min(per, ROOMS - i * per);
    if (n <= 0) break;
    const cfg = { urls, secret, fps: FPS, firstRoom: i * per, rooms: n, maxSeconds };
    loaders.push(fork(resolve(here, 'fault-client.mjs'), [JSON.stringify(cfg)], { stdio: 'inherit' }));
  }
  const connected = (await Promise.all(loaders.map((c) => once(c, 'ready')))).reduce((a, b) => a + b, 0);
  return {
    connected,
    go() {
      for (const c of loaders) c.send('go');
    },
    async stop(windows) {
      const results = loaders.map((c) => once(c, 'result'));
      for (const c of loaders) c.send({ windows });
      return mergeWindows(await Promise.all(results));
    },
  };
}

function mergeWindows(perLoader) {
  return perLoader[0].map((w, i) => {
    const all = perLoader.map((l) => l[i]);
    const sum = (k) => all.reduce((s, x) => s + x[k], 0);
    const cat = (k) => all.flatMap((x) => x[k]);
    return {
      name: w.name,
      expected: sum('expected'),
      lost: sum('lost'),
      healthyReceivers: sum('healthyReceivers'),
      reconnected: sum('reconnects'),
      notRecovered: sum('notRecovered'),
      firstGoodMs: cat('firstGoodMs').sort((a, b) => a - b),
      maxReliableGapMs: cat('maxReliableGapMs').sort((a, b) => a - b),
      ghostClients: sum('ghostClients'),
      ghostGoneMs: cat('ghostGoneMs').sort((a, b) => a - b),
    };
  });
}

const q = (list, p) =>
  list.length ? list[Math.min(list.length - 1, Math.floor(p * list.length))] : Number.NaN;

function summarize(w, extra = {}) {
  return {
    fault: w.name,
    ghostsGoneMs: extra.deadNode ? (w.ghostClients > 0 ? null : (w.ghostGoneMs.at(-1) ?? 0)) : undefined,
    clientsWithGhostsAtEnd: extra.deadNode ? w.ghostClients : undefined,
    healthyReceivers: w.healthyReceivers,
    reconnectedClients: w.reconnected,
    framesExpected: w.expected,
    framesLost: w.lost,
    lossPct: (100 * w.lost) / Math.max(1, w.expected),
    firstGoodFrameP50Ms: q(w.firstGoodMs, 0.5),
    firstGoodFrameP95Ms: q(w.firstGoodMs, 0.95),
    firstGoodFrameMaxMs: w.firstGoodMs.at(-1) ?? Number.NaN,
    pairsWithoutGoodFrame: w.notRecovered,
    maxKeyGapP50Ms: q(w.maxReliableGapMs, 0.5),
    maxKeyGapMaxMs: w.maxReliableGapMs.at(-1) ?? Number.NaN,
    ...extra,
  };
}

function hasBinary(name) {
  return (
    existsSync(`/usr/sbin/${name}`) || existsSync(`/usr/bin/${name}`) || existsSync(`/usr/local/bin/${name}`)
  );
}

async function busScenario(kind) {
  const port = (kind === 'nats' ? 14000 : 16000) + Math.floor(Math.random() * 2000);
  const svc = (action) => execFileSync(services, [action, kind, String(port)], { stdio: 'ignore' });
  svc('start');
  const busUrl = `${kind}://127.0.0.1:${port}`;
  try {
    const a = await startNode(busUrl, 'nodeA');
    const b = await startNode(busUrl, 'nodeB');
    const total = (WARMUP_MS + BUS_DOWN_MS + 2 * PHASE_MS) / 1000 + 10;
    const load = await startLoad([a.url, b.url], total);
    load.go();
    const start = Date.now();
    await sleep(WARMUP_MS);
    const steadyCounters = { nodeA: await counters(a), nodeB: await counters(b) };
    const busDown = Date.now();
    svc('stop');
    await sleep(BUS_DOWN_MS);
    svc('start');
    const busUp = Date.now();
    await sleep(PHASE_MS);
    const kill = Date.now();
    killNode(b);
    await sleep(PHASE_MS);
    const end = Date.now();
    const windows = [
      { name: 'steady (before faults)', t0: start + WARMUP_MS / 2, t1: busDown },
      // Recovery is timed from the moment the bus server is back; loss over the whole outage.
      { name: `${kind} restart`, t0: busDown, t1: kill, tRef: busUp },
      { name: 'kill -9 nodeB', t0: kill, t1: end, deadNode: 'nodeB' },
    ];
    const merged = await load.stop(windows);
    const peakA = await stopNode(a);
    const peakB = b.rss.s.peak;
    return {
      bus: kind,
      connected: load.connected,
      busDownMs: busUp - busDown,
      peakRssA: peakA,
      peakRssB: peakB,
      steadyCounters,
      windows: merged.map((w, i) =>
        summarize(w, {
          windowS: (windows[i].t1 - windows[i].t0) / 1000,
          ...(windows[i].deadNode ? { deadNode: 'nodeB' } : {}),
        }),
      ),
    };
  } finally {
    svc('stop');
  }
}

async function singleNodeRun(hostile) {
  const node = await startNode('memory', hostile ? 'hostile' : 'healthy');
  const load = await startLoad([node.url], HOSTILE_MS / 1000 + 10);
  let attacker;
  if (hostile) {
    const healthyRooms = Array.from({ length: ROOMS }, (_, r) => `faults${r}`);
    const cfg = { url: node.url, port: node.port, secret, healthyRooms, seed: 0xbad5eed };
    attacker = fork(resolve(here, 'hostile-load.mjs'), [JSON.stringify(cfg)], { stdio: 'inherit' });
    await once(attacker, 'ready');
  }
  load.go();
  const start = Date.now();
  await sleep(HOSTILE_MS);
  const end = Date.now();
  let tally;
  if (attacker) {
    const r = once(attacker, 'result');
    attacker.send('stop');
    tally = await r;
  }
  const [w] = await load.stop([
    { name: hostile ? 'healthy + hostile load' : 'healthy load', t0: start + 1000, t1: end },
  ]);
  const peak = await stopNode(node);
  return { ...summarize(w, { windowS: (end - start - 1000) / 1000 }), peakRss: peak, hostile: tally };
}

const mib = (b) => (Number.isFinite(b) && b > 0 ? `${(b / 1048576).toFixed(0)} MiB` : 'n/a');
const ms = (v) =>
  v === null ? 'not gone' : v === undefined || Number.isNaN(v) ? 'n/a' : `${Math.round(v)} ms`;

out(`# relay faults: ${ROOMS} rooms x 4 clients x ${FPS} fps over two nodes, loopback`);
const summary = { rooms: ROOMS, fps: FPS, phaseMs: PHASE_MS, busDownMs: BUS_DOWN_MS, scenarios: [] };
for (const kind of ['nats', 'redis']) {
  if (!hasBinary(kind === 'nats' ? 'nats-server' : 'redis-server')) {
    out(`skipped: ${kind} server not installed`);
    continue;
  }
  summary.scenarios.push(await busScenario(kind));
}
out('');
out(
  '| bus | fault (window) | ghosts gone | frames lost (healthy clients) | first good frame p50 / p95 / max (after the fault; bus: after it is back) | pairs w/o good frame | max key/identity gap p50 / max | peak RSS A / B |',
);
out('|---|---|---|---|---|---|---|---|');
for (const s of summary.scenarios) {
  for (const w of s.windows) {
    const ghosts = w.deadNode
      ? w.ghostsGoneMs === null
        ? `not gone (${w.clientsWithGhostsAtEnd} clients after ${PHASE_MS / 1000} s)`
        : ms(w.ghostsGoneMs)
      : '-';
    out(
      `| ${s.bus} | ${w.fault}${w.fault.includes('restart') ? `, ${s.busDownMs} ms down` : ''} (${w.windowS.toFixed(1)} s) | ${ghosts} | ` +
        `${w.framesLost} / ${w.framesExpected} (${w.lossPct.toFixed(2)} %, ${w.healthyReceivers} healthy) | ` +
        `${ms(w.firstGoodFrameP50Ms)} / ${ms(w.firstGoodFrameP95Ms)} / ${ms(w.firstGoodFrameMaxMs)} | ${w.pairsWithoutGoodFrame} | ` +
        `${ms(w.maxKeyGapP50Ms)} / ${ms(w.maxKeyGapMaxMs)} | ${mib(s.peakRssA)} / ${mib(s.peakRssB)} |`,
    );
  }
}

for (const s of summary.scenarios)
  out(`${s.bus}: relay counters at the end of the steady window: ${JSON.stringify(s.steadyCounters)}`);
out('');
out(`# hostile load: one node, the same healthy load, ${HOSTILE_MS / 1000} s each`);
const healthy = await singleNodeRun(false);
const hostile = await singleNodeRun(true);
summary.healthyRun = healthy;
summary.hostileRun = hostile;
summary.rssRatio = hostile.peakRss / healthy.peakRss;
out('');
out(
  '| run | peak RSS | frames lost (healthy clients) | max key/identity gap p50 / max | hostile sockets / messages / MiB |',
);
out('|---|---|---|---|---|');
for (const r of [healthy, hostile]) {
  const h = r.hostile
    ? `${r.hostile.sockets} / ${r.hostile.messages} / ${(r.hostile.bytes / 1048576).toFixed(0)}`
    : '-';
  out(
    `| ${r.fault} | ${mib(r.peakRss)} | ${r.framesLost} / ${r.framesExpected} (${r.lossPct.toFixed(2)} %) | ` +
      `${ms(r.maxKeyGapP50Ms)} / ${ms(r.maxKeyGapMaxMs)} | ${h} |`,
  );
}
out('');
out(`peak RSS hostile / healthy: ${summary.rssRatio.toFixed(2)}x (goal <= 1.5x)`);
if (hostile.hostile)
  out(
    `hostile close codes: ${JSON.stringify(hostile.hostile.closes)}, refused upgrades: ${hostile.hostile.refused}`,
  );
mkdirSync(resolve(root, 'artifacts/bench'), { recursive: true });
writeFileSync(resolve(root, 'artifacts/bench/faults.json'), `${JSON.stringify(summary, null, 2)}\n`);
out('JSON: artifacts/bench/faults.json');
