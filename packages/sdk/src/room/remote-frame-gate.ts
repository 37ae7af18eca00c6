import { WireLimits, type semface } from '@semface/protocol';
import { RemoteLimitError, type RemoteLimitName } from '../errors.js';

/** The connect options a {@link RemoteFrameGate} enforces. */
export interface RemoteFrameLimits {
  /** Most streams (stream ids) one remote participant may have decoded. Unit: streams. */
  readonly maxRemoteStreams: number;
  /** Most remote streams decoded in the room, all participants together. Unit: streams. */
  readonly maxRemoteStreamsTotal: number;
  /** Largest frame payload taken from a remote participant. Unit: bytes. */
  readonly maxRemoteFrameBytes: number;
}

/**
 * Decides whether a received frame may reach a receiver, before one is created for it. Any member with
 * the publish grant chooses stream ids, sizes and model ids, and each new (participant, stream, lane)
 * costs a receiver, a decoder and a backlog, so the streams a room decodes are counted and capped, and
 * frames that break the wire limits (which a relay should have refused) are dropped. A refused
 * participant is reported once per limit through `report`, not once per frame: a flood must not turn
 * into a flood of events.
 */
export class RemoteFrameGate {
  readonly #limits: RemoteFrameLimits;
  readonly #report: (err: RemoteLimitError) => void;
  /** Admitted stream ids per participant id. */
  readonly #streams = new Map<string, Set<number>>();
  readonly #reported = new Map<string, Set<RemoteLimitName>>();
  #total = 0;

  constructor(limits: RemoteFrameLimits, report: (err: RemoteLimitError) => void) {
    this.#limits = limits;
    this.#report = report;
  }

  /** Streams admitted in the room, all participants together. */
  get streams(): number {
    return this.#total;
  }

  /** True if `frame` may be decoded; otherwise it is to be dropped (and was reported if new). */
  admit(frame: semface.v1.Frame): boolean {
    const pid = frame.participantId;
    const stream = frame.stream;
    const l = this.#limits;
    if (!Number.isInteger(stream) || stream < 0 || stream > WireLimits.maxStreamId) {
      return this.#refuse(pid, stream, 'maxStreamId', `stream id ${stream} above ${WireLimits.maxStreamId}`);
    }
    if (frame.modelId.length > WireLimits.maxModelIdLength) {
      return this.#refuse(
        pid,
        stream,
        'maxModelIdLength',
        `model id of ${frame.modelId.length} characters (at most ${WireLimits.maxModelIdLength})`,
      );
    }
    if (frame.payload.length > l.maxRemoteFrameBytes) {
      return this.#refuse(
        pid,
        stream,
        'maxRemoteFrameBytes',
        `frame payload of ${frame.payload.length} bytes (maxRemoteFrameBytes ${l.maxRemoteFrameBytes})`,
      );
    }
    let streams = this.#streams.get(pid);
    if (streams?.has(stream)) return true;
    if ((streams?.size ?? 0) >= l.maxRemoteStreams) {
      return this.#refuse(pid, stream, 'maxRemoteStreams', `more than ${l.maxRemoteStreams} streams`);
    }
    if (this.#total >= l.maxRemoteStreamsTotal) {
      return this.#refuse(
        pid,
        stream,
        'maxRemoteStreamsTotal',
        `the room already decodes ${l.maxRemoteStreamsTotal} streams (maxRemoteStreamsTotal)`,
      );
    }
    if (!streams) {
      streams = new Set();
      this.#streams.set(pid, streams);
    }
    streams.add(stream);
    this.#total++;
    return true;
  }

  /** The participant left (its receivers are gone): its streams no longer count. */
  forget(participantId: string): void {
    const streams = this.#streams.get(participantId);
    if (streams) this.#total -= streams.size;
    this.#streams.delete(participantId);
    this.#reported.delete(participantId);
  }

  /** Forgets every participant. */
  clear(): void {
    this.#streams.clear();
    this.#reported.clear();
    this.#total = 0;
  }

  #refuse(pid: string, stream: number, limit: RemoteLimitName, what: string): false {
    let reported = this.#reported.get(pid);
    if (!reported) {
      reported = new Set();
      this.#reported.set(pid, reported);
    }
    if (!reported.has(limit)) {
      reported.add(limit);
      this.#report(
        new RemoteLimitError(pid, stream, limit, `frames of ${pid} dropped: ${what}; reported once`),
      );
    }
    return false;
  }
}
