// Load generator with fault accounting (child process): a range of rooms, 4 clients each, every
// client publishing at `fps` (wire v1). Clients reconnect on any close (next relay URL on failure,
// so the clients of a killed node move to the other), rejoin, and send a key frame first; a
// receiver that sees a gap asks for a key frame (like the SDK). Everything is recorded with wall
// clock times so the parent can cut windows around the faults it injects.
// argv[2]: JSON { urls, secret, fps, firstRoom, rooms, maxSeconds }.
// IPC: out { ready }, { result }; in 'go', 'stop'.
import { FrameKind, decodeEnvelope, encodeEnvelope } from '@semface/protocol';
import { mintToken } from '@semface/server';
import WebSocket from 'ws';

const cfg = JSON.parse(process.argv[2]);
const CLIENTS = 4;
const KEY_EVERY = 50;
const IDENTITY_EVERY = 250;
const KFR_MIN_MS = 500;
const period = 1000 / cfg.fps;
const maxSeq = Math.ceil(cfg.fps * cfg.maxSeconds * 1.2) + 100;

const clients = [];
let publishing = false;

function nodeOf(participantId) {
  const i = participantId.lastIndexOf('-');
  return i > 0 ? participantId.slice(0, i) : participantId;
}

function makeClient(room, roomIndex, slot) {
  const index = clients.length;
  const c = {
    index,
    identity: `f${roomIndex}-${slot}`,
    room,
    // Clients alternate between the relays: 2 per room on each.
    urlIndex: (slot + roomIndex) % cfg.urls.length,
    ws: undefined,
    id: '',
    node: '',
    connected: false,
    everConnected: false,
    downs: [], // [downAt, upAt]
    peers: new Map(), // participantId -> publisher index
    peerEvents: [], // [t, 'join'|'left'|'list', participantId]
    seq: 0,
    sendTimes: new Float64Array(maxSeq).fill(-1),
    forceKey: true,
    forceIdentity: true,
    recv: new Map(), // publisher index -> receiver state
  };
  clients.push(c);
  return c;
}

function rstate(c, pub) {
  let s = c.recv.get(pub);
  if (!s) {
    s = {
      seen: new Uint8Array(maxSeq),
      lastSeq: -1,
      decodable: false,
      reliable: [], // arrival times of key and identity frames
      good: [], // flat [captureMs, recvMs, ...] of decodable frames
      lastKfr: 0,
    };
    c.recv.set(pub, s);
  }
  return s;
}

function connect(c) {
  const url = cfg.urls[c.urlIndex];
  const ws = new WebSocket(url, { perMessageDeflate: false });
  c.ws = ws;
  let welcomed = false;
  ws.on('open', async () => {
    const token = await mintToken(cfg.secret, { identity: c.identity, room: c.room });
    ws.send(encodeEnvelope({ hello: { protocolVersion: 1, token, client: 'bench-faults' } }));
  });
  ws.on('message', (data) => {
    if (onMessage(c, data) === 'welcome') welcomed = true;
  });
  ws.on('error', () => {});
  ws.on('close', () => {
    const now = Date.now();
    if (c.connected) c.downs.push([now, -1]);
    c.connected = false;
    c.peers.clear();
    c.peerEvents.push([now, 'reset', '']);
    // A refused or failed connect moves to the next relay; a dropped one retries the same first.
    if (!welcomed) c.urlIndex = (c.urlIndex + 1) % cfg.urls.length;
    if (!stopped) setTimeout(() => connect(c), 100 + Math.random() * 200);
  });
}

/** Handles one relay message; returns its body name. */
function onMessage(c, data) {
  let env;
  try {
    env = decodeEnvelope(data);
  } catch {
    return;
  }
  const now = Date.now();
  switch (env.body) {
    case 'welcome':
      c.id = env.welcome.participantId;
      c.node = nodeOf(c.id);
      c.ws.send(encodeEnvelope({ join: { room: c.room } }));
      return env.body;
    case 'joined': {
      c.peers.clear();
      for (const p of env.joined.peers) c.peers.set(p.participantId, p.identity);
      c.peerEvents.push([now, 'list', env.joined.peers.map((p) => p.participantId).join(',')]);
      if (c.downs.length > 0 && c.downs.at(-1)[1] === -1) c.downs.at(-1)[1] = now;
      c.connected = true;
      c.everConnected = true;
      c.forceKey = true;
      c.forceIdentity = true;
      return;
    }
    case 'peerJoined':
      c.peers.set(env.peerJoined.peer.participantId, env.peerJoined.peer.identity);
      c.peerEvents.push([now, 'join', env.peerJoined.peer.participantId]);
      return;
    case 'peerLeft':
      c.peers.delete(env.peerLeft.participantId);
      c.peerEvents.push([now, 'left', env.peerLeft.participantId]);
      return;
    case 'keyFrameRequest':
      c.forceKey = true;
      return;
    case 'frame':
      onFrame(c, env.frame, now);
      return;
    default:
  }
}

function onFrame(c, f, now) {
  const p = f.payload;
  if (p.length < 4) return;
  const pub = p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24);
  const seq = Number(f.seq);
  const s = rstate(c, pub);
  if (seq < maxSeq) s.seen[seq] = 1;
  // One sequence per publisher over all kinds: a key frame starts a decodable chain, any frame
  // in order continues it, a gap breaks it until the next key frame (asked for at once).
  if (f.kind === FrameKind.key || f.kind === FrameKind.identity) s.reliable.push(now);
  if (f.kind === FrameKind.key) s.decodable = true;
  else if (!(s.decodable && seq === s.lastSeq + 1)) {
    s.decodable = false;
    if (now - s.lastKfr > KFR_MIN_MS && c.connected) {
      s.lastKfr = now;
      c.ws.send(encodeEnvelope({ keyFrameRequest: { participantId: f.participantId, stream: 0 } }));
    }
  }
  const good = s.decodable && f.kind !== FrameKind.identity;
  if (seq > s.lastSeq) s.lastSeq = seq;
  if (good) s.good.push(Number(f.captureTimeUs) / 1000, now);
}

function publish(c) {
  if (!publishing || !c.connected || c.ws.readyState !== WebSocket.OPEN) return;
  const seq = c.seq++;
  if (seq >= maxSeq) return;
  let kind = FrameKind.delta;
  if (c.forceIdentity || seq % IDENTITY_EVERY === 0) kind = FrameKind.identity;
  else if (c.forceKey || seq % KEY_EVERY === 0) kind = FrameKind.key;
  if (kind === FrameKind.identity) c.forceIdentity = false;
  if (kind === FrameKind.key) c.forceKey = false;
  const payload = new Uint8Array(kind === FrameKind.delta ? 48 : 180);
  payload[0] = c.index & 0xff;
  payload[1] = (c.index >> 8) & 0xff;
  payload[2] = (c.index >> 16) & 0xff;
  payload[3] = (c.index >> 24) & 0xff;
  const now = Date.now();
  c.ws.send(
    encodeEnvelope({
      frame: { stream: 0, seq, captureTimeUs: now * 1000, kind, profile: 1, modelId: 'bench', payload },
    }),
  );
  c.sendTimes[seq] = now;
  // An identity frame is its own lane: the key frame it displaced goes out next.
  if (kind === FrameKind.identity && seq % KEY_EVERY === 0) c.forceKey = true;
}

let stopped = false;
const rooms = [];
for (let r = cfg.firstRoom; r < cfg.firstRoom + cfg.rooms; r++) {
  const room = `faults${r}`;
  const list = [];
  for (let i = 0; i < CLIENTS; i++) list.push(makeClient(room, r, i));
  rooms.push(list);
}
for (const c of clients) connect(c);
const deadline = Date.now() + 30_000;
while (clients.some((c) => !c.connected) && Date.now() < deadline)
  await new Promise((r) => setTimeout(r, 50));
process.send({ ready: clients.filter((c) => c.connected).length });
await new Promise((res) => process.once('message', res));
publishing = true;
const timers = [];
for (const [i, c] of clients.entries()) {
  setTimeout(() => timers.push(setInterval(() => publish(c), period)), (i / clients.length) * period);
}
const stopMsg = await new Promise((res) => process.once('message', res));
publishing = false;
for (const t of timers) clearInterval(t);
await new Promise((r) => setTimeout(r, 1000));
stopped = true;
for (const c of clients) c.ws?.terminate();
process.send({ result: analyse(stopMsg.windows) }, () => process.exit(0));

/** Was `c` disconnected at any time in [a, b]? */
function wasDown(c, a, b) {
  return c.downs.some(([down, up]) => down <= b && (up === -1 || up >= a));
}

/** Per fault window: loss at healthy receivers, time to first good frame, ghosts, key/identity gaps. */
function analyse(windows) {
  return windows.map((w) => {
    const out = {
      name: w.name,
      expected: 0,
      lost: 0,
      healthyReceivers: 0,
      firstGoodMs: [],
      notRecovered: 0,
      maxReliableGapMs: [],
      ghostClients: 0,
      ghostGoneMs: [],
      reconnects: 0,
    };
    for (const list of rooms) {
      for (const r of list) {
        const healthy = r.everConnected && !wasDown(r, w.t0 - 1000, w.t1);
        if (!healthy) out.reconnects++;
        else out.healthyReceivers++;
        let clientGap = 0;
        for (const p of list) {
          if (p === r) continue;
          const s = r.recv.get(p.index);
          if (healthy) {
            for (let seq = 0; seq < p.seq; seq++) {
              const t = p.sendTimes[seq];
              if (t < w.t0 || t > w.t1 - 1000) continue;
              out.expected++;
              if (!s || s.seen[seq] !== 1) out.lost++;
            }
            const times = s ? s.reliable : [];
            let prev = times.filter((t) => t < w.t0).at(-1) ?? w.t0;
            for (const t of times) {
              if (t < w.t0 || t > w.t1) continue;
              clientGap = Math.max(clientGap, t - prev);
              prev = t;
            }
            clientGap = Math.max(clientGap, Math.min(w.t1, Date.now()) - prev);
          }
          // First decodable frame captured after the reference time (the fault, or the bus's return).
          const ref = w.tRef ?? w.t0;
          let first = -1;
          if (s) {
            for (let i = 0; i < s.good.length; i += 2) {
              if (s.good[i] >= ref && s.good[i + 1] < w.t1) {
                first = s.good[i + 1] - ref;
                break;
              }
            }
          }
          if (first < 0) out.notRecovered++;
          else out.firstGoodMs.push(first);
        }
        if (healthy) out.maxReliableGapMs.push(clientGap);
        if (w.deadNode) {
          // Replays the client's member list to find when its last peer of the dead node went.
          const peers = new Set();
          const ghost = () => [...peers].some((p) => nodeOf(p) === w.deadNode);
          let present = false;
          let seen = false;
          let goneAt = -1;
          let crossed = false;
          for (const [t, ev, id] of r.peerEvents) {
            if (t > w.t1) break;
            if (!crossed && t >= w.t0) {
              crossed = true;
              if (present) seen = true;
            }
            if (ev === 'reset') peers.clear();
            else if (ev === 'list') {
              peers.clear();
              for (const p of id.split(',')) if (p) peers.add(p);
            } else if (ev === 'join') peers.add(id);
            else peers.delete(id);
            const g = ghost();
            if (t >= w.t0) {
              if (g) seen = true;
              else if (present) goneAt = t;
            }
            present = g;
          }
          if (!crossed && present) seen = true;
          if (present) out.ghostClients++;
          else if (seen && goneAt >= 0) out.ghostGoneMs.push(goneAt - w.t0);
        }
      }
    }
    return out;
  });
}
