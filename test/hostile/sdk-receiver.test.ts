// Finding 2 (receiver side; helper-1 owns the SDK fix and its own test in test/sdk): a hostile
// publisher floods forged key and identity frames — unknown model ids, latent dim 4096, 16 KiB
// payloads, intra and temporal model ids — on all 256 stream ids. An SDK subscriber in the room
// must keep its memory bounded, stay connected and keep decoding a healthy SDK publisher.
// The relay runs in a child process, so this process's memory is the SDK's.
import { FrameKind } from '@semface/protocol';
import { type DescriptorEvent, type Room, connect } from '@semface/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCodec, makeDescriptor } from '../sdk/helpers.js';
import {
  type ChildRelay,
  HostileSocket,
  MiB,
  Rng,
  framePacket,
  inProcessMemory,
  mib,
  retained,
  startChildRelay,
  streamParams,
} from './harness/index.js';

/** SDK-process retained memory growth allowed (after gc) while ~48 MiB of forged frames arrive. */
const MAX_SDK_RETAINED_GROWTH = 32 * MiB;
const FRAMES_PER_RECEIVER = 4;
const PAYLOAD_BYTES = 16 * 1024;

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16)));

describe('SDK subscriber against forged key frames on every stream', () => {
  let relay: ChildRelay;
  const rooms: Room[] = [];

  beforeAll(async () => {
    relay = await startChildRelay({
      rateLimitMessagesPerSecond: 100_000,
      rateLimitBurstMessages: 100_000,
      rateLimitBytesPerSecond: 512 * MiB,
      rateLimitBurstBytes: 512 * MiB,
      // The SDK decodes in this process; a deep queue keeps the relay from cutting it as slow.
      maxQueueBytes: 256 * MiB,
      maxQueueMessages: 100_000,
    });
  });
  afterAll(async () => {
    for (const r of rooms) r.dispose();
    await relay.close();
  });

  it('keeps memory bounded and decoding the healthy publisher', async () => {
    const room = 'forged';
    const codec = await fixtureCodec();
    const sub = await connect(relay.url, {
      token: await relay.token('sdk-sub', room),
      codec,
      coding: 'intra',
    });
    const pub = await connect(relay.url, {
      token: await relay.token('sdk-pub', room),
      codec,
      coding: 'intra',
    });
    rooms.push(sub, pub);
    const healthy: DescriptorEvent[] = [];
    const errors: string[] = [];
    let disconnected = false;
    sub.on('descriptor', (e) => {
      if (e.identity === 'sdk-pub') healthy.push(e);
    });
    sub.on('error', (e) => errors.push(e.code));
    sub.on('disconnected', () => {
      disconnected = true;
    });
    let k = 0;
    const publish = setInterval(() => void pub.publish(makeDescriptor(k++)).catch(() => {}), 40);
    try {
      const deadline = Date.now() + 10_000;
      while (healthy.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(healthy.length, 'healthy descriptors before the attack').toBeGreaterThanOrEqual(5);
      const before = await inProcessMemory();

      const hostile = await HostileSocket.joined(
        relay.url,
        await relay.token('forger', room, { canSubscribe: false }),
        room,
      );
      const rng = new Rng(0xf06ed);
      const known = hexBytes(codec.paramsFor({ profile: 'full' }).modelId);
      const modelIds = [
        '0123456789ab',
        'temporal-v1:0123456789ab',
        codec.paramsFor({ profile: 'full' }).modelId,
      ];
      let seq = 0;
      for (let stream = 0; stream < 256; stream++) {
        for (const [variant, modelId] of modelIds.entries()) {
          for (let n = 0; n < FRAMES_PER_RECEIVER; n++) {
            const params = streamParams({
              modelId: variant === 2 ? known : rng.bytes(6),
              profile: 0,
              rateIndex: 0,
              coder: rng.int(2),
              latentDim: 4096,
            });
            const payload = framePacket({ flags: 1, params, sequence: n, payload: rng.bytes(PAYLOAD_BYTES) });
            const kind = n % 2 === 0 ? FrameKind.key : FrameKind.identity;
            hostile.send({ frame: { stream, seq: seq++, kind, profile: 0, modelId, payload } });
          }
        }
        await hostile.drained(1024 * 1024);
      }
      expect(await hostile.roundTrip(20_000)).toBe(true);
      // Let the subscriber chew through what it got, then check it still decodes the healthy publisher.
      const seen = healthy.length;
      const until = Date.now() + 20_000;
      while (healthy.length < seen + 10 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(healthy.length - seen, 'healthy descriptors after the attack').toBeGreaterThanOrEqual(10);
      // Measured while the forger is still in the room (its receivers are dropped when it leaves).
      const after = await inProcessMemory();
      hostile.close();
      const growth = retained(after) - retained(before);
      expect(growth, `SDK retained memory grew ${mib(growth)}`).toBeLessThanOrEqual(MAX_SDK_RETAINED_GROWTH);
      expect(disconnected).toBe(false);
      expect(relay.alive()).toBe(true);
      expect(errors.every((c) => c.startsWith('SEMFACE_ERR_'))).toBe(true);
    } finally {
      clearInterval(publish);
    }
  });
});
