// Hostile traffic for the fault benchmark's hostile-load run (child process), built from the
// hostile suite's seeded generators (test/hostile/harness/generators.mjs). Runs every attack in a
// loop until told to stop: garbage before Hello, envelope fuzzing after it, mutated codec packets,
// text and oversize floods, Join/Leave and key-frame-request spam inside the healthy rooms,
// replay-cache hoarding, crafted-token Hellos, slowloris headers and silent upgraded sockets.
// argv[2]: JSON { url, port, secret, healthyRooms, seed }. IPC: out { ready }, { result }; in 'stop'.
import { connect as tcpConnect } from 'node:net';
import { FrameKind, decodeEnvelope, encodeEnvelope } from '@semface/protocol';
import { mintToken } from '@semface/server';
import WebSocket from 'ws';
import {
  Rng,
  hostileFrameEnvelope,
  hostileToken,
  malformedEnvelope,
} from '../../test/hostile/harness/generators.mjs';

const cfg = JSON.parse(process.argv[2]);
let running = true;
let onStop;
const stopped = new Promise((res) => {
  onStop = res;
});
const tally = { sockets: 0, messages: 0, bytes: 0, closes: {}, refused: 0 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens a v1 socket; resolves { ws, closed, received } or undefined if refused. */
function open() {
  return new Promise((resolve) => {
    const ws = new WebSocket(cfg.url, { perMessageDeflate: false });
    const received = [];
    const closed = new Promise((res) =>
      ws.on('close', (code) => {
        tally.closes[code] = (tally.closes[code] ?? 0) + 1;
        res(code);
      }),
    );
    ws.on('message', (d) => {
      try {
        received.push(decodeEnvelope(d));
      } catch {
        received.push({ body: 'undecodable' });
      }
      if (received.length > 1000) received.splice(0, 500);
    });
    ws.on('error', () => {});
    ws.once('unexpected-response', () => {
      tally.refused++;
      resolve(undefined);
    });
    ws.once('open', () => {
      tally.sockets++;
      resolve({ ws, closed, received });
    });
    ws.once('close', () => resolve(undefined));
  });
}

function send(s, data) {
  if (s.ws.readyState !== WebSocket.OPEN) return;
  s.ws.send(data, { binary: typeof data !== 'string' });
  tally.messages++;
  tally.bytes += data.length;
}

async function waitFor(s, pred, ms) {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end && s.ws.readyState === WebSocket.OPEN) await sleep(5);
  return pred();
}

/** Authenticated (and joined) socket, or undefined. */
async function session(identity, room, grants = {}) {
  const s = await open();
  if (!s) return undefined;
  const token = await mintToken(cfg.secret, { identity, room, ...grants });
  send(s, encodeEnvelope({ hello: { protocolVersion: 1, token, client: 'hostile' } }));
  send(s, encodeEnvelope({ join: { room } }));
  if (!(await waitFor(s, () => s.received.some((e) => e.body === 'joined'), 3000))) {
    s.ws.terminate();
    return undefined;
  }
  return s;
}

async function backpressure(s) {
  while (s.ws.readyState === WebSocket.OPEN && s.ws.bufferedAmount > 512 * 1024) await sleep(5);
}

const attacks = {
  async preAuthGarbage(rng) {
    const s = await open();
    if (!s) return sleep(50);
    for (let n = 1 + rng.int(3); n > 0; n--) send(s, malformedEnvelope(rng, { room: 'x' }));
    await Promise.race([s.closed, sleep(200)]);
    s.ws.terminate();
  },
  async craftedHello(rng) {
    const s = await open();
    if (!s) return sleep(50);
    send(s, encodeEnvelope({ hello: { protocolVersion: 1, token: hostileToken(rng), client: 'x' } }));
    await Promise.race([s.closed, sleep(500)]);
    s.ws.terminate();
  },
  async envelopeFuzz(rng, id) {
    const s = await session(`fuzz-${id}`, 'hostile-fuzz', { canSubscribe: false });
    if (!s) return sleep(100);
    while (running && s.ws.readyState === WebSocket.OPEN) {
      for (let i = 0; i < 25; i++) send(s, malformedEnvelope(rng, { room: 'hostile-fuzz' }));
      await backpressure(s);
      await sleep(10);
    }
    s.ws.terminate();
  },
  async codecFuzz(rng, id) {
    const s = await session(`codec-${id}`, 'hostile-codec');
    if (!s) return sleep(100);
    while (running && s.ws.readyState === WebSocket.OPEN) {
      for (let i = 0; i < 20; i++) send(s, hostileFrameEnvelope(rng));
      await backpressure(s);
      await sleep(20);
    }
    s.ws.terminate();
  },
  async textFlood(_rng, id) {
    const s = await session(`text-${id}`, 'hostile-text');
    if (!s) return sleep(100);
    while (running && s.ws.readyState === WebSocket.OPEN) {
      for (let i = 0; i < 50; i++) send(s, 'flood');
      await sleep(5);
    }
    s.ws.terminate();
  },
  async oversizeFlood(_rng, id) {
    const s = await session(`big-${id}`, 'hostile-big');
    if (!s) return sleep(100);
    const big = new Uint8Array(128 * 1024);
    while (running && s.ws.readyState === WebSocket.OPEN) {
      send(s, big);
      await backpressure(s);
      await sleep(5);
    }
    s.ws.terminate();
  },
  async churnHealthyRoom(rng, id) {
    const room = rng.pick(cfg.healthyRooms);
    const s = await session(`churn-${id}`, room, { canPublish: false });
    if (!s) return sleep(100);
    let n = 0;
    while (running && s.ws.readyState === WebSocket.OPEN) {
      send(s, encodeEnvelope(n++ % 2 === 0 ? { leave: { room } } : { join: { room } }));
      if (n % 20 === 0) await sleep(5);
    }
    s.ws.terminate();
  },
  async keyRequestSpam(rng, id) {
    const room = rng.pick(cfg.healthyRooms);
    const s = await session(`kfr-${id}`, room, { canPublish: false });
    if (!s) return sleep(100);
    const peers = s.received.find((e) => e.body === 'joined')?.joined.peers.map((p) => p.participantId) ?? [];
    if (peers.length === 0) {
      s.ws.terminate();
      return sleep(100);
    }
    let n = 0;
    while (running && s.ws.readyState === WebSocket.OPEN) {
      send(s, encodeEnvelope({ keyFrameRequest: { participantId: rng.pick(peers), stream: n++ % 256 } }));
      if (n % 20 === 0) await sleep(5);
    }
    s.ws.terminate();
  },
  async hoard(_rng, id) {
    const room = `hostile-hoard-${id}`;
    const s = await session(`hoarder-${id}`, room, { canSubscribe: false });
    if (!s) return sleep(100);
    const payload = new Uint8Array(60 * 1024).fill(0x5a);
    let seq = 0;
    for (let stream = 0; stream < 256 && running && s.ws.readyState === WebSocket.OPEN; stream++) {
      for (const kind of [FrameKind.identity, FrameKind.key]) {
        send(s, encodeEnvelope({ frame: { stream, seq: seq++, kind, modelId: 'hoard', payload } }));
      }
      await backpressure(s);
    }
    // Hold the cache a while, then leave and start over.
    await sleep(2000);
    s.ws.close();
    await Promise.race([s.closed, sleep(1000)]);
  },
  async silentSockets() {
    const list = (await Promise.all(Array.from({ length: 20 }, () => open()))).filter(Boolean);
    await Promise.race([Promise.all(list.map((s) => s.closed)), sleep(15_000)]);
    for (const s of list) s.ws.terminate();
  },
  async slowloris() {
    const sockets = Array.from({ length: 30 }, () => {
      const sock = tcpConnect({ port: cfg.port, host: '127.0.0.1' });
      sock.on('error', () => {});
      sock.write('GET /v1/relay HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: ');
      return sock;
    });
    const end = Date.now() + 30_000;
    while (running && Date.now() < end && sockets.some((s) => !s.destroyed)) {
      for (const s of sockets) if (!s.destroyed) s.write('a');
      await sleep(200);
    }
    for (const s of sockets) s.destroy();
  },
};

const plan = [
  ['preAuthGarbage', 2],
  ['craftedHello', 1],
  ['envelopeFuzz', 2],
  ['codecFuzz', 1],
  ['textFlood', 1],
  ['oversizeFlood', 1],
  ['churnHealthyRoom', 2],
  ['keyRequestSpam', 2],
  ['hoard', 1],
  ['silentSockets', 1],
  ['slowloris', 1],
];

// A subscriber that drains the codec-fuzz room (so its frames are forwarded, not only cached).
async function codecSink() {
  while (running) {
    const s = await session('codec-sink', 'hostile-codec', { canPublish: false });
    if (!s) {
      await sleep(200);
      continue;
    }
    await Promise.race([s.closed, stopped]);
    s.ws.terminate();
  }
}

process.send({ ready: true });
const loops = [codecSink()];
let worker = 0;
for (const [name, n] of plan) {
  for (let i = 0; i < n; i++) {
    const id = worker++;
    const rng = new Rng((cfg.seed + id * 7919) >>> 0);
    loops.push(
      (async () => {
        while (running) {
          try {
            await attacks[name](rng, id);
          } catch {
            await sleep(100);
          }
        }
      })(),
    );
  }
}
await new Promise((res) => process.once('message', res));
running = false;
onStop();
await Promise.race([Promise.all(loops), sleep(5000)]);
process.send({ result: tally }, () => process.exit(0));
