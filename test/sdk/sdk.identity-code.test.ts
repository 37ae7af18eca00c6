import {
  type IdentityCodeModel,
  decodeIdentityCode,
  encodeIdentityCode,
  goldenEmbeddings,
  loadIdentityCodeModel,
} from '@semface/codec-core';
import { type IdentityCodeEvent, NotAllowedError, type Room, connect } from '@semface/sdk';
import { mintToken } from '@semface/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type TestRelay,
  fixtureCodec,
  makeDescriptor,
  nextEvent,
  record,
  startRelay,
  until,
} from './helpers.js';

// Issue 13, privacy: the identity code leaves the publisher only with its opt-in and reaches only
// subscribers whose token grants `identity_code` (also as a cached frame for late joiners).
describe('SDK identity code over a real relay', () => {
  let relay: TestRelay;
  let model: IdentityCodeModel;
  const rooms: Room[] = [];

  async function join(identity: string, grants: { code?: boolean; publish?: boolean } = {}) {
    const token = await mintToken(relay.secret, {
      identity,
      room: 'idc',
      ...(grants.code ? { canReceiveIdentityCode: true } : {}),
    });
    const r = await connect(relay.url, {
      token,
      codec: await fixtureCodec(),
      coding: 'intra',
      ...(grants.publish ? { publishIdentityCode: true } : {}),
    });
    rooms.push(r);
    return r;
  }

  beforeAll(async () => {
    relay = await startRelay();
    model = await loadIdentityCodeModel();
  });
  afterEach(() => {
    for (const r of rooms.splice(0)) r.dispose();
  });
  afterAll(async () => {
    await relay.server.close();
  });

  it('publishing is off by default and needs a model for raw embeddings', async () => {
    const off = await join('off');
    const [e] = goldenEmbeddings(1, model.inputDim, 1);
    await expect(off.publishIdentityCode(Float32Array.from(e!), { model })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    const on = await join('on', { publish: true });
    await expect(on.publishIdentityCode(Float32Array.from(e!))).rejects.toBeInstanceOf(TypeError);
  });

  it('reaches granted subscribers (live and late) only', async () => {
    const granted = await join('bob', { code: true });
    const plain = await join('carol');
    const plainCodes = record(plain, 'identityCode');
    const alice = await join('alice', { publish: true });
    const [e] = goldenEmbeddings(1, model.inputDim, 2);
    const embedding = Float32Array.from(e!);
    const got = nextEvent(granted, 'identityCode');
    const sent = await alice.publishIdentityCode(embedding, { model });
    expect(sent).toMatchObject({ kind: 'identityCode', bits: (4 + 32) * 8 });
    const ev: IdentityCodeEvent = await got;
    expect(ev).toMatchObject({ identity: 'alice', rateIndex: 3, modelId: `idcode:${model.id}` });
    expect(ev.code).toEqual(encodeIdentityCode(model, embedding, 3));
    expect(decodeIdentityCode(ev.code, model).bits).toBe(256);
    // A descriptor sent after the code reaches carol; the code never does.
    const plainDescriptors = record(plain, 'descriptor');
    await alice.publish(makeDescriptor(1), { profile: 'identity' });
    await until(() => plainDescriptors.length > 0, 'carol gets the descriptor');
    expect(plainCodes).toHaveLength(0);
    // Late joiners: the cached code goes to a granted one only.
    const lateGranted = await join('dave', { code: true });
    const lateCodes = record(lateGranted, 'identityCode');
    const latePlain = await join('erin');
    const latePlainCodes = record(latePlain, 'identityCode');
    await until(() => lateCodes.length > 0, 'dave gets the cached code');
    expect(lateCodes[0]!.code).toEqual(ev.code);
    await alice.publish(makeDescriptor(2), { profile: 'identity' });
    const latePlainDescriptors = record(latePlain, 'descriptor');
    await alice.publish(makeDescriptor(3), { profile: 'identity' });
    await until(() => latePlainDescriptors.length > 0, 'erin gets a descriptor');
    expect(latePlainCodes).toHaveLength(0);
  });

  it('re-sends the last identity code after a reconnect (the new relay has no cache)', async () => {
    const secret = relay.secret;
    const first = await startRelay({}, secret);
    const open = async (identity: string, code: boolean, publish: boolean) => {
      const r = await connect(first.url, {
        token: await mintToken(secret, {
          identity,
          room: 'idc-re',
          ...(code ? { canReceiveIdentityCode: true } : {}),
        }),
        codec: await fixtureCodec(),
        coding: 'intra',
        reconnect: { initialDelayMs: 20, maxDelayMs: 100, factor: 2, maxRetries: 200 },
        ...(publish ? { publishIdentityCode: true } : {}),
      });
      rooms.push(r);
      return r;
    };
    const pub = await open('pub', false, true);
    const sub = await open('sub', true, false);
    const codes = record(sub, 'identityCode');
    const [e] = goldenEmbeddings(1, model.inputDim, 5);
    await pub.publishIdentityCode(Float32Array.from(e!), { model, stream: 2 });
    await until(() => codes.length === 1, 'the code before the restart');
    const back = Promise.all([nextEvent(pub, 'reconnected'), nextEvent(sub, 'reconnected')]);
    await first.server.close();
    const second = await startRelay({ port: first.port }, secret);
    try {
      await back;
      await until(() => codes.some((c) => c.participantId === pub.participantId), 'the re-sent code');
      const again = codes.find((c) => c.participantId === pub.participantId)!;
      expect(again.stream).toBe(2);
      expect(again.code).toEqual(codes[0]!.code);
    } finally {
      for (const r of rooms.splice(0)) r.dispose();
      await second.server.close();
    }
  });
});
