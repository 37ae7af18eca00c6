// Wire benchmark: what a face stream costs on the network, not in the codec. `pnpm bench:wire`
// (build first). One relay on loopback, one publisher and one subscriber (SDK defaults: temporal
// coding at 2 kbit/s, shipped models), 500 frames at 25 fps in real time, once per wire setting:
// protocol v1 (protobuf frames), v2 (compact frames), v2 with 100 ms and 200 ms bundles.
// Descriptors: the first talking-head clips of the data root (../shared/data/videos, extracted
// once into artifacts/bench/wire-clips.npy), else a synthetic talking-head sequence (said so).
// Counted per direction: codec payload bits, WebSocket message bytes (SDK counters), and IP-level
// bytes from the kernel's own socket counters (`ss -tin`: bytes_sent + segs_out x TCP/IP header).
// Env: WIRE_FRAMES (500), WIRE_FPS (25), WIRE_TARGET_KBPS (2), SEMFACE_DATA_ROOT.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, DescriptorField } from '@semface/codec-core';
import { connect } from '@semface/sdk';
import { createRelayServer, mintToken } from '@semface/server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FRAMES = Number(process.env.WIRE_FRAMES ?? 500);
const FPS = Number(process.env.WIRE_FPS ?? 25);
const TARGET = Number(process.env.WIRE_TARGET_KBPS ?? 2);
const dataRoot = resolve(root, process.env.SEMFACE_DATA_ROOT ?? '../shared/data');
const out = (s) => process.stdout.write(`${s}\n`);

function readNpy(path) {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + headerLen).toString('latin1');
  const [, rows, cols] = header.match(/'shape': \((\d+), (\d+)\)/).map(Number);
  const data = new Float32Array(
    buf.buffer.slice(buf.byteOffset + 10 + headerLen, buf.byteOffset + 10 + headerLen + rows * cols * 4),
  );
  return Array.from({ length: rows }, (_, i) => data.subarray(i * cols, (i + 1) * cols));
}

/** Descriptors to stream, and where they came from. */
function descriptors() {
  const videos = join(dataRoot, 'videos');
  if (existsSync(videos)) {
    const cache = join(root, 'artifacts/bench/wire-clips.npy');
    if (!existsSync(cache)) {
      mkdirSync(dirname(cache), { recursive: true });
      const clips = readdirSync(videos)
        .filter((f) => f.endsWith('.mp4'))
        .sort()
        .slice(0, 3);
      const parts = [];
      for (const [i, clip] of clips.entries()) {
        const o = join(root, `artifacts/bench/wire-clip${i}.npy`);
        execFileSync(
          'node',
          [join(root, 'packages/cli/dist/bin.js'), 'extract', join(videos, clip), '-o', o],
          {
            stdio: 'ignore',
          },
        );
        parts.push(...readNpy(o));
      }
      const rows = parts.length;
      const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${DESCRIPTOR_LENGTH}), }`;
      const pad = 64 - ((10 + header.length + 1) % 64);
      const h = Buffer.from(`${header}${' '.repeat(pad)}\n`, 'latin1');
      const pre = Buffer.alloc(10);
      pre.write('\x93NUMPY', 0, 'latin1');
      pre[6] = 1;
      pre.writeUInt16LE(h.length, 8);
      const body = Buffer.alloc(rows * DESCRIPTOR_LENGTH * 4);
      parts.forEach((d, i) =>
        Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(body, i * DESCRIPTOR_LENGTH * 4),
      );
      writeFileSync(cache, Buffer.concat([pre, h, body]));
    }
    const rows = readNpy(cache);
    return { source: `real clips (first 3 of ${videos}, ${rows.length} frames)`, rows };
  }
  const rows = Array.from({ length: FRAMES }, (_, t) => {
    const d = Float32Array.from({ length: DESCRIPTOR_LENGTH }, (_, i) => (((i * 37) % 101) - 50) / 200);
    for (const f of [DescriptorField.expression, DescriptorField.rotation]) {
      for (let i = f.start; i < f.end; i++) d[i] += 0.3 * Math.sin(t / 8 + i);
    }
    return d;
  });
  return { source: 'synthetic talking-head sequence (no data root)', rows };
}

/** Kernel counters of the established TCP sockets with local port `sport` or remote port `dport`. */
function sockets(filter) {
  const text = execFileSync('ss', ['-tinH', 'state', 'established', filter], { encoding: 'utf8' });
  const lines = text.split('\n');
  const socks = [];
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/(\S+):(\d+)\s+(\S+):(\d+)/);
    if (!m) continue;
    const info = lines[i + 1] ?? '';
    const num = (k) => Number(info.match(new RegExp(`\\b${k}:(\\d+)`))?.[1] ?? 0);
    socks.push({
      local: Number(m[2]),
      peer: Number(m[4]),
      bytesSent: num('bytes_sent'),
      segsOut: num('segs_out'),
      // IPv4 20 + TCP 20 (+12 with timestamps) per segment; loopback carries no link header.
      header: 40 + (/\bts\b/.test(info) ? 12 : 0),
    });
  }
  return socks;
}

const secret = randomBytes(32).toString('hex');
const server = createRelayServer({ tokenSecret: secret, port: 0, logLevel: 'warn' });
const addr = await server.start();
const { source, rows } = descriptors();
const frames = rows.slice(0, FRAMES);
out(
  `# wire cost of one face stream: ${frames.length} frames at ${FPS} fps, target ${TARGET} kbit/s, ${source}`,
);

const settings = [
  { name: 'v1 (protobuf frames)', protocolVersion: 1, bundleIntervalMs: 0 },
  { name: 'v2 (compact frames)', protocolVersion: 2, bundleIntervalMs: 0 },
  { name: 'v2, 100 ms bundles', protocolVersion: 2, bundleIntervalMs: 100 },
  { name: 'v2, 200 ms bundles', protocolVersion: 2, bundleIntervalMs: 200 },
];
const results = [];
for (const [k, s] of settings.entries()) {
  const room = `wire${k}`;
  const opts = {
    protocolVersion: s.protocolVersion,
    bundleIntervalMs: s.bundleIntervalMs,
    targetKbps: TARGET,
    frameRate: FPS,
  };
  const pub = await connect(addr.url, {
    token: await mintToken(secret, { identity: `pub${k}`, room }),
    ...opts,
  });
  const sub = await connect(addr.url, {
    token: await mintToken(secret, { identity: `sub${k}`, room }),
    ...opts,
  });
  let decoded = 0;
  sub.on('descriptor', () => decoded++);
  const before = { pub: sockets(`dport = :${addr.port}`), relay: sockets(`sport = :${addr.port}`) };
  let payloadBits = 0;
  const t0 = performance.now();
  for (let i = 0; i < frames.length; i++) {
    const f = await pub.publish(frames[i]);
    if (f) payloadBits += f.bits;
    const wait = t0 + ((i + 1) * 1000) / FPS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, 500));
  const seconds = frames.length / FPS;
  const after = { pub: sockets(`dport = :${addr.port}`), relay: sockets(`sport = :${addr.port}`) };
  // The subscriber's relay-side socket is the one that sent the most since `before`.
  const delta = (list, prev) =>
    list.map((x) => {
      const p = prev.find((y) => y.local === x.local && y.peer === x.peer) ?? { bytesSent: 0, segsOut: 0 };
      return { ...x, bytes: x.bytesSent - p.bytesSent, segs: x.segsOut - p.segsOut };
    });
  const down = delta(after.relay, before.relay).sort((a, b) => b.bytes - a.bytes)[0];
  const up = delta(after.pub, before.pub).sort((a, b) => b.bytes - a.bytes)[0];
  const kbps = (bytes) => (bytes * 8) / seconds / 1000;
  const w = { pub: pub.wireStats, sub: sub.wireStats };
  const r = {
    setting: s.name,
    frames: frames.length,
    decoded,
    payloadKbps: payloadBits / seconds / 1000,
    upMessagesKbps: kbps(w.pub.bytesSent),
    downMessagesKbps: kbps(w.sub.bytesReceived),
    upIpKbps: kbps(up.bytes + up.segs * up.header),
    downIpKbps: kbps(down.bytes + down.segs * down.header),
    downSegmentsPerSec: down.segs / seconds,
    downOverheadBitsPerFrame: (w.sub.bytesReceived * 8 - payloadBits) / frames.length,
  };
  results.push(r);
  pub.dispose();
  sub.dispose();
  await new Promise((res) => setTimeout(res, 300));
}
await server.close();

const f2 = (v) => v.toFixed(2);
out(
  '| setting | payload kbit/s | pub -> relay messages | relay -> sub messages | pub -> relay IP | relay -> sub IP | segments/s down | framing bits/frame down | decoded |',
);
out('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  out(
    `| ${r.setting} | ${f2(r.payloadKbps)} | ${f2(r.upMessagesKbps)} | ${f2(r.downMessagesKbps)} | ${f2(r.upIpKbps)} | ${f2(r.downIpKbps)} | ${r.downSegmentsPerSec.toFixed(1)} | ${r.downOverheadBitsPerFrame.toFixed(0)} | ${r.decoded}/${r.frames} |`,
  );
}
mkdirSync(join(root, 'artifacts/bench'), { recursive: true });
writeFileSync(
  join(root, 'artifacts/bench/wire.json'),
  JSON.stringify({ source, fps: FPS, targetKbps: TARGET, results }, null, 2),
);
out('JSON artifacts/bench/wire.json');
process.exit(0);
