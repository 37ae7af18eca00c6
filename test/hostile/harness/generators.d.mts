/** xorshift32: deterministic unsigned 32-bit integers (seed 0 acts as 1). */
export function xorshift32(seed: number): () => number;

/** Small seeded random toolkit over xorshift32. */
export class Rng {
  constructor(seed: number);
  readonly seed: number;
  next(): number;
  int(n: number): number;
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  bytes(n: number): Uint8Array;
  string(n: number, alphabet?: string): string;
  length(max: number): number;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array;
export function varint(value: number | bigint): Uint8Array;
export function tag(field: number, wireType: number): Uint8Array;
export function lenField(field: number, bytes: Uint8Array): Uint8Array;

/** Context used to build plausible envelopes that are then mutated. */
export interface EnvelopeContext {
  room?: string;
  token?: string;
  peerId?: string;
}

export function hostileToken(rng: Rng): string;
export function malformedEnvelope(rng: Rng, ctx?: EnvelopeContext): Uint8Array;

export interface RawFramePacket {
  version?: number;
  flags: number;
  params?: Uint8Array;
  sequence: number;
  payload: Uint8Array;
  lengthBytes?: Uint8Array;
  crc?: number;
}
export function framePacket(p: RawFramePacket): Uint8Array;
export function streamParams(p: {
  modelId: Uint8Array;
  profile: number;
  rateIndex: number;
  coder: number;
  latentDim: number;
}): Uint8Array;
export function mutatedCodecPacket(rng: Rng, modelIds?: readonly Uint8Array[]): Uint8Array;
export function hostileModelId(rng: Rng): string;
export function hostileFrameEnvelope(rng: Rng, modelIds?: readonly Uint8Array[]): Uint8Array;
export function fuzzUpgradeRequest(rng: Rng, path?: string): string;

/** Protocol v2 (compact frames, bundles, Track announcements). */
export function compactFrame(rng: Rng, tracks?: readonly number[]): Uint8Array;
export function trackEnvelope(rng: Rng, track?: number): Uint8Array;
export function hostileBundle(rng: Rng, depth?: number): Uint8Array;
export function wireV2Message(rng: Rng): Uint8Array;
