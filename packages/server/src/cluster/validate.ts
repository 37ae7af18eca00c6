import { WireLimits, frameKindName, type FrameKindName, type IPeer, type semface } from '@semface/protocol';
import { PARTICIPANT_ID_PATTERN } from './limits.js';

/** Body of a BusMessage: exactly one of these, or the message is refused. */
export type BusBody = 'envelope' | 'snapshot' | 'syncRequest' | 'heartbeat';

/**
 * The one body a BusMessage carries, or undefined when it carries none, several, or a flag
 * without its body (`resync` needs `sync_request`; `snapshot` may come with `sync_request`).
 */
export function busBody(m: semface.v1.BusMessage): BusBody | undefined {
  const envelope = m.envelope.length > 0;
  const snapshot = m.snapshot != null;
  const heartbeat = m.heartbeat != null;
  if (m.resync && !m.syncRequest) return undefined;
  if (heartbeat) return envelope || snapshot || m.syncRequest ? undefined : 'heartbeat';
  if (envelope) return snapshot || m.syncRequest ? undefined : 'envelope';
  if (snapshot) return 'snapshot';
  if (m.syncRequest) return 'syncRequest';
  return undefined;
}

/** A peer as announced by another node, checked field by field; undefined if invalid. */
export function cleanPeer(p: IPeer | null | undefined): semface.v1.IPeer | undefined {
  if (!p || typeof p.participantId !== 'string' || !PARTICIPANT_ID_PATTERN.test(p.participantId))
    return undefined;
  if (typeof p.identity !== 'string' || p.identity.length === 0) return undefined;
  if (p.identity.length > WireLimits.maxIdentityLength) return undefined;
  // Rebuilt from the checked fields only: unknown fields never reach clients.
  return { participantId: p.participantId, identity: p.identity, canPublish: p.canPublish === true };
}

/**
 * Kind name of a frame relayed by another node if it passes the checks the relay applies to
 * client frames (known kind, payload, stream <= 255, model id length) plus a valid publisher id.
 */
export function checkFrame(f: semface.v1.Frame): FrameKindName | undefined {
  const kind = frameKindName(f.kind);
  if (kind === undefined) return undefined;
  if (f.payload.length === 0 || f.stream > WireLimits.maxStreamId) return undefined;
  if (f.modelId.length > WireLimits.maxModelIdLength) return undefined;
  if (!PARTICIPANT_ID_PATTERN.test(f.participantId)) return undefined;
  return kind;
}
