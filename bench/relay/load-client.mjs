// Load generator (child process): a range of rooms, 4 clients each, every client publishing at `fps`.
// Client 3 of each room is artificially slow: its socket is paused except 50 ms every 2 s.
import {
  FrameKind,
  decodeBundle,
  decodeCompactFrame,
  decodeEnvelope,
  encodeCompactFrame,
  encodeEnvelope,
  expandBundleEntries,
  foldCaptureTimeMs,
  unwrapCaptureTimeMs,
  wireMessageType,
} from '@semface/protocol';
import { mintToken } from '@semface/server';
import WebSocket from 'ws';

const cfg = JSON.parse(process.argv[2]);
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const CLIENTS = 4;
/** Protocol the clients speak: 2 (compact frames, the SDK default) or 1 (protobuf frames). */
const PROTOCOL = cfg.protocol ?? 2;
const SLOW = 3;

async function open(url, token, room) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  const c = { ws, id: '', sent: 0, got: new Map(), lat: [], joined: undefined, tracks: new Map() };
  const onFrame = (participantId, captureUs) => {
    c.got.set(participantId, (c.got.get(participantId) ?? 0) + 1);
    if (cfg.measure.on) c.lat.push(nowUs() - captureUs);
  };
  const onOne = (bytes, res) => {
    if (PROTOCOL === 2 && wireMessageType(bytes) === 'frame') {
      const f = decodeCompactFrame(bytes);
      const pid = c.tracks.get(f.track);
      onFrame(pid, unwrapCaptureTimeMs(f.timeMs16, nowUs() / 1000) * 1000);
      return;
    }
    const env = decodeEnvelope(bytes);
    if (env.body === 'welcome') {
      c.id = env.welcome.participantId;
      ws.send(encodeEnvelope({ join: { room } }));
    } else if (env.body === 'joined') res();
    else if (env.body === 'track') c.tracks.set(env.track.track, env.track.participantId);
    else if (env.body === 'frame') onFrame(env.frame.participantId, env.frame.captureTimeUs);
  };
  await new Promise((res) => {
    ws.on('message', (data) => {
      const bytes = new Uint8Array(data);
      if (PROTOCOL === 2 && wireMessageType(bytes) === 'bundle') {
        for (const b of expandBundleEntries(decodeBundle(bytes))) onOne(b, res);
      } else onOne(bytes, res);
    });
    ws.send(encodeEnvelope({ hello: { protocolVersion: PROTOCOL, token, client: 'bench' } }));
  });
  if (PROTOCOL === 2) {
    ws.send(encodeEnvelope({ track: { track: 0, stream: 0, modelId: 'bench', profile: 1, coding: 1 } }));
  }
  return c;
}

const rooms = [];
for (let r = cfg.firstRoom; r < cfg.firstRoom + cfg.rooms; r++) {
  const room = `bench${r}`;
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) {
    const url = cfg.urls[i % cfg.urls.length];
    const token = await mintToken(cfg.secret, { identity: `c${r}-${i}`, room });
    clients.push(await open(url, token, room));
  }
  rooms.push(clients);
}
cfg.measure = { on: false };
process.send({ ready: true });
await new Promise((res) => process.once('message', res));

const delta = new Uint8Array(48).fill(3);
const key = new Uint8Array(180).fill(5);
const period = 1000 / cfg.fps;
const timers = [];
const all = rooms.flat();
for (const [i, c] of all.entries()) {
  let seq = 0;
  const start = () => {
    timers.push(
      setInterval(() => {
        const isKey = seq % 50 === 0;
        if (PROTOCOL === 2) {
          c.ws.send(
            encodeCompactFrame({
              kind: isKey ? FrameKind.key : FrameKind.delta,
              track: 0,
              seq: seq++ & 0xff,
              timeMs16: foldCaptureTimeMs(nowUs() / 1000),
              payload: isKey ? key : delta,
            }),
          );
          c.sent++;
          return;
        }
        c.ws.send(
          encodeEnvelope({
            frame: {
              stream: 0,
              seq: seq++,
              captureTimeUs: nowUs(),
              kind: isKey ? FrameKind.key : FrameKind.delta,
              profile: 1,
              modelId: 'bench',
              payload: isKey ? key : delta,
            },
          }),
        );
        c.sent++;
      }, period),
    );
  };
  // Spread the clients over one period so sends are not one burst.
  setTimeout(start, (i / all.length) * period);
}
const slowTimers = rooms.map((clients) => {
  const s = clients[SLOW].ws._socket;
  s.pause();
  return setInterval(() => {
    s.resume();
    setTimeout(() => s.pause(), 50);
  }, 2000);
});
setTimeout(() => {
  cfg.measure.on = true;
}, cfg.warmupMs);
await new Promise((res) => setTimeout(res, cfg.durationMs));
for (const t of timers) clearInterval(t);
cfg.measure.on = false;
await new Promise((res) => setTimeout(res, 1000));
for (const t of slowTimers) clearInterval(t);

// Healthy receivers: loss against what the other 3 members sent.
let expected = 0;
let received = 0;
let slowExpected = 0;
let slowReceived = 0;
const lat = [];
for (const clients of rooms) {
  for (const [i, c] of clients.entries()) {
    let exp = 0;
    let got = 0;
    for (const [j, o] of clients.entries()) {
      if (j === i) continue;
      exp += o.sent;
      got += c.got.get(o.id) ?? 0;
    }
    if (i === SLOW) {
      slowExpected += exp;
      slowReceived += got;
    } else {
      expected += exp;
      received += got;
      for (const v of c.lat) lat.push(v);
    }
  }
}
const sent = all.reduce((s, c) => s + c.sent, 0);
for (const c of all) c.ws.terminate();
// Exit only once the (large) result has left through the IPC channel.
process.send({ result: { sent, expected, received, slowExpected, slowReceived, lat } }, () =>
  process.exit(0),
);
