import type { FrameKindName } from '@semface/protocol';
import type { ProfileName } from '../codec/layout.js';
import type { SemfaceSdkError } from '../errors.js';

/** Another member of the room. */
export interface Participant {
  /** Relay-assigned id (changes when the participant reconnects). */
  readonly participantId: string;
  /** Identity from the participant's token. */
  readonly identity: string;
  /** Whether the participant may publish. */
  readonly canPublish: boolean;
}

/** One decoded descriptor from another participant. */
export interface DescriptorEvent {
  /** Publisher. */
  readonly participantId: string;
  /** Publisher's identity ('' if the publisher is not (yet) known). */
  readonly identity: string;
  /** Stream id within the publisher. */
  readonly stream: number;
  /** Wire sequence number within the stream (identity frames count separately). */
  readonly seq: number;
  /** Wire frame kind: 'key', 'delta' or 'identity'. */
  readonly kind: FrameKindName;
  /** Descriptor profile of the frame. */
  readonly profile: ProfileName;
  /** Codec model id of the payload. */
  readonly modelId: string;
  /** Decoded 257-D descriptor; fields outside the profile are 0. */
  readonly descriptor: Float32Array;
  /** Capture time on the relay's clock (SDK publishers convert theirs), Unix epoch microseconds. */
  readonly captureTimeUs: number;
  /**
   * Capture-to-decoded latency estimate in ms: our estimate of the relay's clock now minus
   * `captureTimeUs`. Clock offsets come from Welcome and ping round trips; never negative.
   */
  readonly latencyMs: number;
  /** Size of the coded payload (frame packet), in bits. */
  readonly bits: number;
}

/** Events of a {@link Room}. */
/**
 * An identity-code frame (issue 13: recognition-grade identity code, biometric). Only reaches subscribers
 * whose token grants `identity_code`. Decode / compare with `ReceiverHeads.verify({ identityCode: code })`.
 */
export interface IdentityCodeEvent {
  readonly participantId: string;
  readonly identity: string;
  readonly stream: number;
  readonly seq: number;
  readonly modelId: string;
  /** The identity-code packet (docs/bitstream.md, "Identity code"). */
  readonly code: Uint8Array;
  /** Rate point named in the packet header. */
  readonly rateIndex: number;
  readonly captureTimeUs: number;
  /** Whole packet size in bits. */
  readonly bits: number;
}

export interface RoomEvents {
  /** Someone entered the room (also after a reconnect, for everyone present, with new ids). */
  participantJoined: Participant;
  /** Someone left; `reason` is the relay's ("leave", "close", "timeout", ...) or "reconnect". */
  participantLeft: Participant & { readonly reason: string };
  /** A descriptor frame decoded. */
  descriptor: DescriptorEvent;
  identityCode: IdentityCodeEvent;
  /** A subscriber asked for a key frame on one of our streams; the next frame of it is a key frame. */
  keyFrameRequested: { readonly stream: number; readonly requesterId: string };
  /** A problem. `error.fatal` says whether the room is finished (then `disconnected` follows). */
  error: SemfaceSdkError;
  /** The link dropped unexpectedly; the next attempt starts after `delayMs`. */
  reconnecting: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly closeCode: number;
    readonly reason: string;
  };
  /** The link is back, the room rejoined and key frames were requested. */
  reconnected: { readonly attempts: number; readonly participantId: string };
  /** The room is finished (dispose, abort, fatal relay error, or reconnecting gave up). Fires once. */
  disconnected: {
    readonly closeCode: number;
    readonly reason: string;
    readonly error: SemfaceSdkError | undefined;
  };
}

/**
 * Extension point for consumers of decoded descriptors living inside a room (expression
 * recognition and identity verification heads come here later). Heads see every descriptor
 * before event listeners do; a head that throws is reported as a ListenerError.
 */
export interface DescriptorHead {
  /** Name for error reports. */
  readonly name: string;
  /** Called for each decoded descriptor, synchronously; do heavy work asynchronously. */
  onDescriptor(event: DescriptorEvent): void;
  /** Called when the head is detached or the room disposed. */
  dispose?(): void;
}
