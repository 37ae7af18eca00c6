import v8 from 'node:v8';
import vm from 'node:vm';
import { CodecErrorCode, MAX_LATENT_DIM, writeFramePacket } from '@semface/codec-core';
import { FrameKind } from '@semface/protocol';
import {
  DEFAULT_CONNECT_OPTIONS,
  FrameDecodeError,
  RemoteLimitError,
  type Room,
  SemfaceSdkError,
  connect,
} from '@semface/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../relay/helpers/test-client.js';
import {
  FIXTURE_MAX_ERROR,
  type TestRelay,
  fixtureCodec,
  makeDescriptor,
  maxCarriedError,
  record,
  startRelay,
  until,
} from './helpers.js';

/** Full garbage collection, so what stays allocated is what is still reachable. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** The 20-byte key frame of the attack: valid CRC, empty payload, `ppm` at 4096 latents, any model id. */
function forgedKey(modelId: string): Uint8Array {
  return writeFramePacket(
    { modelId, profile: 'full', rateIndex: 0, coder: 'ppm', latentDim: MAX_LATENT_DIM },
    { sequence: 0, keyFrame: true },
    new Uint8Array(0),
  );
}

// Issue 11, findings 2 and 10: a member with the publish grant must not be able to make a subscriber
// allocate without bound (one 12 MiB decoder per forged stream before the fix, 256 streams per peer).
describe('SDK receiving from a hostile publisher over a real relay', () => {
  let relay: TestRelay;

  beforeAll(async () => {
    // The relay's own rate and queue limits are not under test: let the whole flood through.
    relay = await startRelay({
      rateLimitMessagesPerSecond: 1_000_000,
      rateLimitBurstMessages: 1_000_000,
      maxQueueMessages: 1_000_000,
      maxQueueBytes: 256 * 1024 * 1024,
    });
  });
  afterAll(async () => {
    await relay.server.close();
  });

  it('keeps decoding a healthy peer, caps the hostile one at maxRemoteStreams decoders, reports typed errors', async () => {
    const gc = collector();
    const fixture = await fixtureCodec();
    let decoders = 0;
    // The fixture codec with its decoders counted (same class, so connect accepts it).
    const counted: typeof fixture = Object.create(fixture);
    counted.createStreamDecoder = (coding) => {
      decoders++;
      return fixture.createStreamDecoder(coding);
    };
    const rooms: Room[] = [];
    const token = (id: string) => relay.token(id, 'hostile');
    const sub = await connect(relay.url, { token: await token('sub'), codec: counted, coding: 'intra' });
    rooms.push(sub);
    const pub = await connect(relay.url, { token: await token('pub'), codec: fixture, coding: 'intra' });
    rooms.push(pub);
    const evil = await TestClient.joined(relay.url, await token('evil'), 'hostile');
    try {
      const got = record(sub, 'descriptor');
      const errors = record(sub, 'error');
      const sent = Array.from({ length: 12 }, (_, k) => makeDescriptor(k));
      await pub.publish(sent[0]!);
      await until(() => got.length === 1, 'the first healthy frame');
      gc();
      const before = process.memoryUsage().arrayBuffers;

      const frame = (stream: number, modelId: string, payload: Uint8Array) =>
        evil.frame({ stream, seq: 0, kind: FrameKind.key, profile: 0, modelId, payload });
      for (let stream = 0; stream <= 255; stream++) {
        const id = `deadbeef${stream.toString(16).padStart(4, '0')}`;
        frame(stream, id, forgedKey(id));
      }
      // A flood of key frames on an admitted stream and beyond: a known model id with a forged size,
      // and unknown ones; the healthy peer publishes in between.
      const known = fixture.paramsFor({ profile: 'full' }).modelId;
      for (let k = 0; k < 2000; k++) {
        const id = k % 2 === 0 ? known : 'deadbeefffff';
        frame(k % 16, id, forgedKey(id));
        if (k % 200 === 0) await pub.publish(sent[1 + k / 200]!);
      }
      await pub.publish(sent[11]!);
      // Every forged frame has reached the subscriber once a ping sent after them comes back to it.
      evil.send({ ping: { nonce: 1, sentTimeUs: 0 } });
      await evil.next('pong');
      await sub.ping();
      await until(() => got.length === sent.length, 'every healthy frame');
      const hostileErrors = () =>
        errors.filter((e) => (e as FrameDecodeError).participantId === evil.participantId);
      const maxStreams = DEFAULT_CONNECT_OPTIONS.maxRemoteStreams;
      await until(
        () => hostileErrors().filter((e) => e instanceof FrameDecodeError).length >= maxStreams,
        'decode errors',
      );

      // (a) The healthy peer's frames all decoded, in order, within the codec's error bound.
      expect(got.map((e) => e.identity)).toEqual(Array(sent.length).fill('pub'));
      got.forEach((e, k) => {
        expect(e.seq).toBe(k);
        expect(maxCarriedError(sent[k]!, e.descriptor, 'full')).toBeLessThanOrEqual(FIXTURE_MAX_ERROR);
      });
      // (b) At most maxRemoteStreams decoders for the hostile peer (plus one for the healthy stream).
      expect(decoders).toBeLessThanOrEqual(maxStreams + 1);
      // (c) Typed, non-fatal errors only: one decode error per admitted stream, the cap reported once.
      for (const e of errors) {
        expect(e).toBeInstanceOf(SemfaceSdkError);
        expect(e.fatal).toBe(false);
      }
      expect(errors.every((e) => e instanceof FrameDecodeError || e instanceof RemoteLimitError)).toBe(true);
      const decodeErrors = hostileErrors().filter((e) => e instanceof FrameDecodeError);
      expect(decodeErrors).toHaveLength(maxStreams);
      for (const e of decodeErrors) {
        expect([CodecErrorCode.unknownModelId, CodecErrorCode.invalidHeader]).toContain(
          (e.cause as { code?: string }).code,
        );
      }
      const capped = errors.filter((e) => e instanceof RemoteLimitError);
      expect(capped).toHaveLength(1);
      expect(capped[0]).toMatchObject({
        code: 'SEMFACE_ERR_SDK_REMOTE_LIMIT',
        participantId: evil.participantId,
        limit: 'maxRemoteStreams',
      });
      // Heap: nothing sized by a forged header stays reachable (one forged decoder alone was 12 MiB).
      gc();
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 2 ** 20);
      expect(sub.state).toBe('connected');
    } finally {
      evil.close();
      for (const r of rooms) r.dispose();
    }
  });
});
