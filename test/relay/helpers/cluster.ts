import { createRequire } from 'node:module';
import { encodeBusMessage, encodeEnvelope, type semface } from '@semface/protocol';
import { BusCodec, type RelayServer, deriveBusKey, roomChannelLabel } from '@semface/server';

/** `nats` resolved from @semface/server (the root package does not depend on it). */
export const natsLib = createRequire(new URL('../../../packages/server/package.json', import.meta.url))(
  'nats',
) as typeof import('nats');

/** Polls `pred` every 50 ms until it holds; throws `what` after `timeoutMs`. */
export async function waitFor(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sum of a counter/gauge's samples in a relay's /metrics whose labels contain `labels` (e.g. `reason="replay"`). */
export async function metric(server: RelayServer, name: string, labels = ''): Promise<number> {
  const text = await server.metrics.registry.metrics();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    if (labels && !rest.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/**
 * Signs BusMessages the way a cluster member holding `secret` does (to test what the relay
 * checks after the signature).
 */
export class ForgingNode {
  readonly codec: BusCodec;
  readonly nodeId: string;
  readonly incarnation: number;
  seq = 0;
  constructor(secret: string, nodeId: string) {
    this.codec = new BusCodec(deriveBusKey(secret));
    this.nodeId = nodeId;
    this.incarnation = Date.now() * 1024;
  }

  /** A signed room message (fields override the defaults). */
  room(room: string, fields: semface.v1.IBusMessage): Uint8Array {
    return this.codec.seal(roomChannelLabel(room), this.body(fields));
  }

  body(fields: semface.v1.IBusMessage): Uint8Array {
    return encodeBusMessage({
      originNode: this.nodeId,
      incarnation: this.incarnation,
      seq: ++this.seq,
      sentTimeMs: Date.now(),
      ...fields,
    });
  }
}

/** Encoded Frame envelope with a recognisable payload byte. */
export function frameEnvelope(participantId: string, kind: number, payloadByte: number): Uint8Array {
  return encodeEnvelope({
    frame: {
      participantId,
      stream: 0,
      seq: 1,
      kind,
      profile: 1,
      modelId: 'test',
      payload: new Uint8Array([payloadByte]),
    },
  });
}
