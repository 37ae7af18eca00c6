// Reusable hostile-client harness (issue 11): relays in or out of process, raw hostile clients,
// a healthy publisher/subscriber pair with key/identity accounting, seeded generators, memory probes.
export * from './relay.js';
export * from './memory.js';
export * from './hostile-client.js';
export * from './healthy-pair.js';
export * from './tokens.js';
export {
  Rng,
  xorshift32,
  malformedEnvelope,
  mutatedCodecPacket,
  hostileFrameEnvelope,
  hostileModelId,
  hostileToken,
  fuzzUpgradeRequest,
  framePacket,
  streamParams,
  compactFrame,
  trackEnvelope,
  hostileBundle,
  wireV2Message,
} from './generators.mjs';
