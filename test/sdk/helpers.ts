import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH, type ProfileName, SemfaceCodec, profileIndices } from '@semface/codec-core';
import type { Room, RoomEvents } from '@semface/sdk';
import { type RelayServer, type RelayServerOptions, createRelayServer, mintToken } from '@semface/server';

/**
 * The tiny fixture models codec-core's own tests use (y = 4x, latent step 1/4): every value of the
 * first 256 profile fields comes back within half a step, 0.125; the 257th full-profile value is dropped.
 */
export const FIXTURE_MODELS_DIR = fileURLToPath(
  new URL('../../packages/codec-core/src/models/fixtures/tiny/', import.meta.url),
);
/** Worst-case reconstruction error of the fixture codec (half its quantisation step). */
export const FIXTURE_MAX_ERROR = 0.125;

let codec: Promise<SemfaceCodec> | undefined;
/** One shared fixture codec per test file. */
export function fixtureCodec(): Promise<SemfaceCodec> {
  codec ??= SemfaceCodec.load({ modelsDir: FIXTURE_MODELS_DIR });
  return codec;
}

/** Deterministic descriptors with values in [-2, 2). */
export function makeDescriptor(seed: number): Float32Array {
  let s = (seed * 2654435761 + 12345) >>> 0;
  const d = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = 0; i < d.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    d[i] = (s / 2 ** 32) * 4 - 2;
  }
  return d;
}

/** Largest |decoded - original| over the values the fixture codec carries for `profile`. */
export function maxCarriedError(original: Float32Array, decoded: Float32Array, profile: ProfileName): number {
  const carried = Array.from(profileIndices(profile)).slice(0, 256);
  let worst = 0;
  for (const i of carried) worst = Math.max(worst, Math.abs(decoded[i]! - original[i]!));
  return worst;
}

/** Largest |value| outside the profile (must be 0). */
export function maxOutsideProfile(decoded: Float32Array, profile: ProfileName): number {
  const inside = new Set(profileIndices(profile));
  let worst = 0;
  for (let i = 0; i < decoded.length; i++) if (!inside.has(i)) worst = Math.max(worst, Math.abs(decoded[i]!));
  return worst;
}

export interface TestRelay {
  server: RelayServer;
  url: string;
  port: number;
  secret: string;
  token(
    identity: string,
    room?: string,
    extra?: { canPublish?: boolean; canSubscribe?: boolean },
  ): Promise<string>;
}

/** A started relay on loopback with quiet logs (port 0 = a free one). */
export async function startRelay(
  opts: Partial<RelayServerOptions> = {},
  secret = randomBytes(32).toString('hex'),
): Promise<TestRelay> {
  const server = createRelayServer({ tokenSecret: secret, port: 0, logLevel: 'silent', ...opts });
  const addr = await server.start();
  return {
    server,
    url: addr.url,
    port: addr.port,
    secret,
    token: (identity, room = 'room1', extra = {}) => mintToken(secret, { identity, room, ...extra }),
  };
}

/** Resolves with the next `event` of `room` that satisfies `pred`; rejects after `timeoutMs`. */
export function nextEvent<K extends keyof RoomEvents>(
  room: Room,
  event: K,
  pred: (payload: RoomEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<RoomEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timeout waiting for '${String(event)}'`));
    }, timeoutMs);
    const off = room.on(event, (payload) => {
      if (!pred(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Records every payload of `event`. */
export function record<K extends keyof RoomEvents>(room: Room, event: K): RoomEvents[K][] {
  const list: RoomEvents[K][] = [];
  room.on(event, (payload) => list.push(payload));
  return list;
}

/** Polls `pred` until it holds; rejects after `timeoutMs`. */
export async function until(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
