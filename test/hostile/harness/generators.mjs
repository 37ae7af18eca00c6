// Seeded generators of hostile input: malformed protobuf envelopes, mutated codec frame packets and
// fuzzed HTTP upgrade requests. Plain ESM so that both the vitest suite (test/hostile) and the fault
// benchmark (bench/faults, plain node) use the same code; types in generators.d.mts.
import { crc32 } from '@semface/codec-core/wire';
import { FrameKind, encodeEnvelope } from '@semface/protocol';

/** xorshift32: deterministic unsigned 32-bit integers (seed 0 acts as 1). */
export function xorshift32(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Small seeded random toolkit over xorshift32. */
export class Rng {
  constructor(seed) {
    this.seed = seed >>> 0;
    this.next = xorshift32(seed);
  }
  /** Integer in [0, n). */
  int(n) {
    return n <= 1 ? 0 : this.next() % n;
  }
  /** Integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  /** True with probability p. */
  chance(p) {
    return this.next() / 0x100000000 < p;
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  bytes(n) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.next() & 0xff;
    return b;
  }
  /** A random string of `n` characters from `alphabet` (default: printable ASCII). */
  string(n, alphabet) {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += alphabet ? alphabet[this.int(alphabet.length)] : String.fromCharCode(32 + this.int(95));
    }
    return s;
  }
  /** Length biased toward small values, up to `max`. */
  length(max) {
    const r = this.int(4);
    if (r === 0) return this.int(Math.min(max, 8) + 1);
    if (r === 1) return this.int(Math.min(max, 64) + 1);
    if (r === 2) return this.int(Math.min(max, 512) + 1);
    return this.int(max + 1);
  }
}

// ---- protobuf building blocks ----------------------------------------------------------------------

/** Concatenates byte arrays. */
export function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Unsigned LEB128 of a non-negative integer or bigint (up to 64 bits). */
export function varint(value) {
  let v = BigInt(value);
  if (v < 0n) v &= (1n << 64n) - 1n;
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

/** Field key (field number, wire type). */
export function tag(field, wireType) {
  return varint((BigInt(field) << 3n) | BigInt(wireType & 7));
}

/** Length-delimited field. */
export function lenField(field, bytes) {
  return concat([tag(field, 2), varint(bytes.length), bytes]);
}

const utf8 = new TextEncoder();

/** Client-sendable bodies, each a factory of a plausible envelope. */
function plausibleEnvelope(rng, ctx) {
  const room = ctx.room ?? 'fuzz';
  switch (rng.int(9)) {
    case 0:
      return { hello: { protocolVersion: 1, token: ctx.token ?? 'x.y.z', client: 'fuzz' } };
    case 1:
      return { join: { room } };
    case 2:
      return { leave: { room } };
    case 3:
      return { ping: { nonce: rng.next(), sentTimeUs: Date.now() * 1000 } };
    case 4:
      return { pong: { nonce: rng.next() } };
    case 5:
      return { keyFrameRequest: { participantId: ctx.peerId ?? 'nobody', stream: rng.int(256) } };
    case 6:
      return { error: { code: 'SEMFACE_ERR_RELAY_PROTOCOL', message: 'client error', closeCode: 4000 } };
    case 7:
      return { peerJoined: { room, peer: { participantId: 'ghost', identity: 'ghost', canPublish: true } } };
    default:
      return {
        frame: {
          participantId: rng.chance(0.5) ? 'spoofed' : '',
          stream: rng.int(256),
          seq: rng.next(),
          captureTimeUs: Date.now() * 1000,
          kind: rng.pick([FrameKind.key, FrameKind.delta, FrameKind.identity]),
          profile: rng.int(3),
          modelId: 'fuzz',
          payload: rng.bytes(1 + rng.length(256)),
          relayTimeUs: rng.chance(0.5) ? 1 : 0,
        },
      };
  }
}

/** Mutations applied to a valid encoded envelope. */
function mutate(rng, bytes) {
  const b = Uint8Array.from(bytes);
  switch (rng.int(8)) {
    case 0: {
      // bit flips
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips && b.length > 0; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      return b;
    }
    case 1:
      // truncation
      return b.subarray(0, rng.int(Math.max(1, b.length)));
    case 2: {
      // insert random bytes
      const at = rng.int(b.length + 1);
      return concat([b.subarray(0, at), rng.bytes(1 + rng.int(16)), b.subarray(at)]);
    }
    case 3: {
      // delete a slice
      const at = rng.int(Math.max(1, b.length));
      return concat([b.subarray(0, at), b.subarray(at + 1 + rng.int(8))]);
    }
    case 4:
      // two bodies back to back (oneof set twice) plus trailing garbage
      return concat([b, b, rng.bytes(rng.int(8))]);
    case 5: {
      // overwrite one byte with a varint-continuation / max byte
      if (b.length > 0) b[rng.int(b.length)] = rng.pick([0x80, 0xff, 0x00, 0x7f]);
      return b;
    }
    case 6: {
      // duplicate a slice somewhere else
      if (b.length < 2) return b;
      const from = rng.int(b.length - 1);
      const len = 1 + rng.int(b.length - from);
      const at = rng.int(b.length + 1);
      return concat([b.subarray(0, at), b.subarray(from, from + len), b.subarray(at)]);
    }
    default: {
      // shuffle two bytes
      if (b.length >= 2) {
        const i = rng.int(b.length);
        const j = rng.int(b.length);
        [b[i], b[j]] = [b[j], b[i]];
      }
      return b;
    }
  }
}

/** Hand-built malformed encodings that no mutation of a valid message is likely to reach. */
function structuralGarbage(rng, ctx) {
  const field = rng.range(1, 12);
  switch (rng.int(12)) {
    case 0:
      // a message field with a wrong wire type (varint / fixed64 / fixed32 / group end)
      return concat([tag(field, rng.pick([0, 1, 5, 4])), rng.bytes(rng.int(10))]);
    case 1:
      // huge length prefix with few bytes behind it
      return concat([
        tag(field, 2),
        varint(rng.pick([2 ** 31 - 1, 2 ** 32 - 1, 2n ** 63n, 2n ** 64n - 1n, 65537, 1 << 20])),
        rng.bytes(rng.int(32)),
      ]);
    case 2:
      // over-long varint (11 continuation bytes)
      return concat([tag(field, 0), new Uint8Array(11).fill(0xff), Uint8Array.of(1)]);
    case 3: {
      // deeply nested start-groups (recursion in the skipper)
      const depth = rng.pick([64, 1000, 20000]);
      const start = tag(15, 3);
      const parts = [];
      for (let i = 0; i < depth; i++) parts.push(start);
      return concat(parts);
    }
    case 4: {
      // nested length-delimited garbage inside a frame / hello / join
      let inner = rng.bytes(rng.length(64));
      const depth = 1 + rng.int(30);
      for (let i = 0; i < depth; i++) inner = lenField(rng.range(1, 9), inner);
      return lenField(field, inner);
    }
    case 5:
      // invalid UTF-8 in strings (hello token / join room / model id)
      return rng.pick([
        lenField(1, lenField(2, Uint8Array.of(0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80))),
        lenField(3, lenField(1, Uint8Array.of(0xf0, 0x28, 0x8c, 0xbc))),
        lenField(8, lenField(7, Uint8Array.of(0xe2, 0x82))),
      ]);
    case 6:
      // frame with out-of-range scalars: kind 99/-1, stream 2^32-1, seq 2^64-1, profile 2^32-1
      return lenField(
        8,
        concat([
          tag(2, 0),
          varint(2n ** 32n - 1n),
          tag(3, 0),
          varint(2n ** 64n - 1n),
          tag(5, 0),
          varint(rng.pick([0, 4, 99, -1])),
          tag(6, 0),
          varint(2n ** 32n - 1n),
          lenField(7, utf8.encode(rng.string(rng.pick([0, 64, 65, 300])))),
          lenField(8, rng.bytes(rng.int(4))),
        ]),
      );
    case 7:
      // only unknown fields (no body): an empty envelope in disguise
      return concat([tag(rng.range(13, 2000), 0), varint(rng.next()), lenField(99, rng.bytes(rng.int(16)))]);
    case 8:
      // empty message / a single byte
      return rng.chance(0.5) ? new Uint8Array(0) : rng.bytes(1);
    case 9:
      // hello with a hostile token: huge, non-ASCII, crafted JWT header
      return encodeEnvelope({
        hello: { protocolVersion: rng.pick([0, 1, 2, 0xffffffff]), token: hostileToken(rng), client: 'fuzz' },
      });
    case 10:
      // join with a hostile room name
      return encodeEnvelope({
        join: {
          room: rng.pick(['', '*', '../x', 'a'.repeat(65), 'é'.repeat(40), 'room\u0000x', ctx.room ?? 'x']),
        },
      });
    default:
      // random bytes
      return rng.bytes(rng.length(4096));
  }
}

const b64u = (s) => Buffer.from(s).toString('base64url');

/** A token-shaped string that must never verify (crafted JWT headers, huge, non-ASCII, non-JWT). */
export function hostileToken(rng) {
  const body = b64u(JSON.stringify({ sub: 'x', room: '*', exp: 4_000_000_000 }));
  switch (rng.int(8)) {
    case 0:
      return `${b64u(JSON.stringify({ alg: 'HS256', crit: ['é'.repeat(200)] }))}.${body}.AAAA`;
    case 1:
      return `${b64u(JSON.stringify({ alg: 'none' }))}.${body}.`;
    case 2:
      return `${b64u(JSON.stringify({ alg: 'RS256', kid: '🔥'.repeat(100) }))}.${body}.AAAA`;
    case 3:
      return `${b64u('{"alg":"HS256",')}.${body}.AAAA`;
    case 4:
      return 'é'.repeat(rng.range(1, 4000));
    case 5:
      return `${b64u(JSON.stringify({ alg: 'HS256', b64: false, crit: ['b64'] }))}.${body}.AAAA`;
    case 6:
      return rng.string(rng.range(1, 8000));
    default:
      return `${b64u(JSON.stringify({ alg: 'HS256', crit: [rng.string(300, 'ąčęėįšųūž€漢字')] }))}.${body}.${rng.string(20)}`;
  }
}

/**
 * One malformed (or semantically hostile) envelope. `ctx`: { room, token, peerId } used to make
 * plausible messages that are then mutated.
 */
export function malformedEnvelope(rng, ctx = {}) {
  const r = rng.int(10);
  if (r < 5) return mutate(rng, encodeEnvelope(plausibleEnvelope(rng, ctx)));
  if (r < 9) return structuralGarbage(rng, ctx);
  return rng.bytes(rng.length(1024));
}

// ---- protocol v2: compact frames, bundles, Track announcements ------------------------------------

/** A v2 compact frame with hostile fields: reserved bits, any track, empty or large payloads. */
export function compactFrame(rng, tracks = [0, 1, 2, 3]) {
  const b0 = 0x80 | (rng.int(4) << 5) | (rng.chance(0.15) ? rng.int(32) : 0);
  let track;
  switch (rng.int(6)) {
    case 0:
      track = varint(rng.int(0x200000));
      break;
    case 1:
      track = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x7f); // over-long
      break;
    case 2:
      track = Uint8Array.of(0x80); // truncated
      break;
    default:
      track = varint(rng.pick(tracks));
  }
  const tail = rng.chance(0.1) ? new Uint8Array(0) : rng.bytes(rng.length(2048) || 1);
  return concat([Uint8Array.of(b0), track, Uint8Array.of(rng.int(256), rng.int(256), rng.int(256)), tail]);
}

/** A `Track` Envelope (field 13) with possibly out-of-range stream, model id, profile and coding. */
export function trackEnvelope(rng, track = rng.int(4)) {
  const modelId = rng.chance(0.8) ? utf8.encode(hostileModelId(rng)) : rng.bytes(rng.range(65, 300));
  return lenField(
    13,
    concat([
      tag(1, 0),
      varint(rng.chance(0.8) ? track : rng.pick([0x200000, 2 ** 32 - 1, rng.next()])),
      lenField(2, utf8.encode(rng.chance(0.5) ? 'spoofed' : '')),
      tag(3, 0),
      varint(rng.chance(0.8) ? rng.int(256) : rng.pick([256, 2 ** 32 - 1])),
      lenField(4, modelId),
      tag(5, 0),
      varint(rng.chance(0.8) ? rng.int(3) : rng.next()),
      tag(6, 0),
      varint(rng.chance(0.8) ? rng.int(3) : rng.pick([3, 99, 2 ** 32 - 1])),
    ]),
  );
}

/** A v2 bundle (0x01 + length-prefixed entries) with lying lengths, nesting and too many entries. */
export function hostileBundle(rng, depth = 0) {
  // More entries than a decoder accepts (4096): tiny ones, so the message stays small.
  if (rng.chance(0.05)) {
    const parts = [Uint8Array.of(0x01)];
    for (let i = 0; i < 4097; i++) parts.push(Uint8Array.of(1, 0x80));
    return concat(parts);
  }
  const n = rng.pick([1, 2, 8, 32, 200]);
  const parts = [Uint8Array.of(0x01)];
  let size = 1;
  for (let i = 0; i < n && size < 16_000; i++) {
    let entry;
    switch (rng.int(6)) {
      case 0:
        entry = depth < 3 ? hostileBundle(rng, depth + 1) : Uint8Array.of(0x01);
        break;
      case 1:
        entry = malformedEnvelope(rng, { room: 'fuzzv2' });
        break;
      case 2:
        entry = trackEnvelope(rng);
        break;
      default:
        entry = compactFrame(rng);
    }
    const lie = rng.int(12);
    const len = lie === 0 ? 0 : lie === 1 ? entry.length + rng.range(1, 1000) : entry.length;
    const prefix = lie === 2 ? Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f) : varint(len);
    parts.push(prefix, entry);
    size += prefix.length + entry.length;
  }
  if (rng.chance(0.1)) parts.push(Uint8Array.of(0x85)); // dangling length byte
  const b = concat(parts);
  return b.length > 60_000 ? b.subarray(0, 60_000) : b;
}

/** One hostile protocol v2 message: compact frame, bundle, Track or a malformed Envelope. */
export function wireV2Message(rng) {
  const r = rng.int(10);
  if (r < 4) return compactFrame(rng);
  if (r < 6) return hostileBundle(rng);
  if (r < 8) return trackEnvelope(rng);
  return malformedEnvelope(rng, { room: 'fuzzv2' });
}

// ---- codec frame packets (docs/bitstream.md) ---------------------------------------------------------

/** A frame packet (bitstream v1) from raw fields; no validation, so any field may be hostile. */
export function framePacket({ version = 1, flags, params, sequence, payload, lengthBytes, crc }) {
  const parts = [Uint8Array.of(0xa0 | (version & 0x0f), flags & 0xff)];
  if (params) parts.push(params);
  parts.push(Uint8Array.of(sequence & 0xff, (sequence >>> 8) & 0xff));
  parts.push(lengthBytes ?? varint(payload.length));
  parts.push(payload);
  const head = concat(parts);
  const c = crc ?? crc32(head);
  const tail = Uint8Array.of(c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, (c >>> 24) & 0xff);
  return concat([head, tail]);
}

/** Stream params block (11 bytes): model id (6), profile, rate index, coder, latent dim (u16 LE). */
export function streamParams({ modelId, profile, rateIndex, coder, latentDim }) {
  return concat([
    modelId,
    Uint8Array.of(profile & 0xff, rateIndex & 0xff, coder & 0xff, latentDim & 0xff, (latentDim >>> 8) & 0xff),
  ]);
}

/**
 * A mutated codec frame packet: bad markers / versions / flags, unknown model ids, hostile latent
 * dims, lying or non-minimal length prefixes, truncation, bit flips with and without a fixed-up CRC.
 * `modelIds`: 6-byte model ids a receiver knows (to get past the model lookup sometimes).
 */
export function mutatedCodecPacket(rng, modelIds = []) {
  const key = rng.chance(0.6);
  const modelId = modelIds.length > 0 && rng.chance(0.5) ? rng.pick(modelIds) : rng.bytes(6);
  const params = key
    ? streamParams({
        modelId,
        profile: rng.chance(0.8) ? rng.int(3) : rng.int(256),
        rateIndex: rng.int(256),
        coder: rng.chance(0.8) ? rng.int(2) : rng.int(256),
        latentDim: rng.pick([0, 1, 256, 4096, 4097, 65535, rng.int(65536)]),
      })
    : undefined;
  const payload = rng.bytes(rng.length(rng.chance(0.05) ? 60_000 : 2048));
  let lengthBytes;
  const lie = rng.int(6);
  if (lie === 0) lengthBytes = varint(payload.length + rng.range(1, 70_000));
  else if (lie === 1)
    lengthBytes = Uint8Array.of(0x80 | (payload.length & 0x7f), 0x80, 0x00); // non-minimal
  else if (lie === 2) lengthBytes = Uint8Array.of(0xff, 0xff, 0xff, 0x7f); // > 3 bytes
  const pkt = framePacket({
    version: rng.chance(0.9) ? 1 : rng.int(16),
    flags: (key ? 1 : 0) | (rng.chance(0.1) ? rng.int(256) & 0xfe : 0),
    params,
    sequence: rng.int(65536),
    payload,
    lengthBytes,
    crc: rng.chance(0.2) ? rng.next() : undefined,
  });
  switch (rng.int(6)) {
    case 0: {
      // bit flips, then fix the CRC so the parser goes past it
      const b = Uint8Array.from(pkt.subarray(0, pkt.length - 4));
      for (let i = 0, n = 1 + rng.int(6); i < n; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      const c = crc32(b);
      return concat([b, Uint8Array.of(c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, (c >>> 24) & 0xff)]);
    }
    case 1:
      return pkt.subarray(0, rng.int(pkt.length)); // truncated
    case 2:
      return concat([pkt, rng.bytes(1 + rng.int(32))]); // trailing bytes
    case 3:
      return rng.bytes(rng.length(512)); // not a packet at all
    default:
      return pkt; // structurally hostile fields, CRC usually right
  }
}

/** Model ids a hostile frame may claim (plain, temporal-prefixed, over-long, empty). */
export function hostileModelId(rng) {
  return rng.pick([
    'gdn-v1',
    'temporal-v1:000000000000',
    `temporal-v1:${rng.string(12, '0123456789abcdef')}`,
    rng.string(12, '0123456789abcdef'),
    rng.string(64),
    '',
    'é'.repeat(32),
  ]);
}

/** A Frame envelope (valid protobuf) around a mutated codec packet. */
export function hostileFrameEnvelope(rng, modelIds = []) {
  const payload = mutatedCodecPacket(rng, modelIds);
  return encodeEnvelope({
    frame: {
      stream: rng.int(256),
      seq: rng.next(),
      captureTimeUs: Date.now() * 1000,
      kind: rng.pick([FrameKind.key, FrameKind.key, FrameKind.delta, FrameKind.identity]),
      profile: rng.int(3),
      modelId: hostileModelId(rng),
      payload: payload.length > 0 ? payload : Uint8Array.of(0xa1),
    },
  });
}

// ---- HTTP upgrade requests ---------------------------------------------------------------------------

const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/**
 * A fuzzed HTTP/1.1 upgrade request (a string of latin1 bytes, complete with the final blank line).
 * Covers bad methods, versions, paths, missing / duplicated / oversized / non-ASCII headers,
 * bad Sec-WebSocket-Key/Version, CRLF games, bodies and pipelining.
 */
export function fuzzUpgradeRequest(rng, path = '/v1/relay') {
  const headers = [
    ['Host', '127.0.0.1'],
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', WS_KEY],
    ['Sec-WebSocket-Version', '13'],
  ];
  let method = 'GET';
  let target = path;
  let version = 'HTTP/1.1';
  let eol = '\r\n';
  let body = '';
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    switch (rng.int(16)) {
      case 0:
        method = rng.pick(['POST', 'PUT', 'get', 'G\u00e9T', '', 'CONNECT', rng.string(20)]);
        break;
      case 1:
        version = rng.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', '', 'http/1.1']);
        break;
      case 2:
        target = rng.pick([
          '/v1/relay?x=1',
          '/v1/relay/../v1/relay',
          '//v1/relay',
          `${path}${'A'.repeat(rng.range(100, 9000))}`,
          '*',
          'http://evil/v1/relay',
          '/%00',
          `/${rng.string(30)}`,
        ]);
        break;
      case 3:
        headers.splice(rng.int(headers.length), 1); // drop a header
        break;
      case 4:
        headers.push(rng.pick(headers)); // duplicate
        break;
      case 5:
        headers.push([`X-${rng.string(8, 'abcdefgh')}`, 'v'.repeat(rng.range(1000, 20_000))]); // big
        break;
      case 6:
        headers.push([rng.string(rng.range(1, 40)), rng.string(rng.range(0, 200))]); // random
        break;
      case 7:
        headers.push(['X-Utf8', 'é'.repeat(rng.range(1, 500))]);
        break;
      case 8:
        headers.push(['Sec-WebSocket-Key', rng.pick(['', 'short', 'é'.repeat(24), rng.string(200)])]);
        break;
      case 9:
        headers.push(['Sec-WebSocket-Version', rng.pick(['8', '', '13, 8', '99999999999', 'x'])]);
        break;
      case 10:
        headers.push([
          rng.pick(['Content-Length', 'Transfer-Encoding']),
          rng.pick(['5', '-1', 'chunked', 'x']),
        ]);
        body = rng.string(rng.int(10));
        break;
      case 11:
        eol = rng.pick(['\n', '\r\n', '\r\n\r']);
        break;
      case 12:
        headers.push(['Sec-WebSocket-Extensions', rng.pick(['permessage-deflate', 'x; y=z', ';;;', ''])]);
        break;
      case 13:
        for (let j = rng.range(50, 300); j > 0; j--) headers.push([`X-H${j}`, 'x']); // many headers
        break;
      case 14:
        headers.push(['Bad Header', 'x']); // space in a name
        break;
      default:
        headers.push([' Folded', `line${eol} continued`]);
    }
  }
  let req = `${method} ${target} ${version}${eol}`;
  for (const [k, v] of headers) req += `${k}: ${v}${eol}`;
  return `${req}${eol}${body}`;
}
