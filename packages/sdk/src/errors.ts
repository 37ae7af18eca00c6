/**
 * Errors of @semface/sdk. Every error carries a stable `code` (documented in docs/errors.md,
 * section "@semface/sdk"). Errors delivered through the room's `error` event say with `fatal`
 * whether the room is finished (it disposed itself) or keeps running.
 */
import { SemfaceError } from '@semface/protocol/errors';

/** Stable error codes of the SDK. */
export const SdkErrorCode = Object.freeze({
  relay: 'SEMFACE_ERR_SDK_RELAY',
  connectFailed: 'SEMFACE_ERR_SDK_CONNECT_FAILED',
  timeout: 'SEMFACE_ERR_SDK_TIMEOUT',
  aborted: 'SEMFACE_ERR_SDK_ABORTED',
  disposed: 'SEMFACE_ERR_SDK_DISPOSED',
  notJoined: 'SEMFACE_ERR_SDK_NOT_JOINED',
  notAllowed: 'SEMFACE_ERR_SDK_NOT_ALLOWED',
  invalidDescriptor: 'SEMFACE_ERR_SDK_INVALID_DESCRIPTOR',
  encodeFailed: 'SEMFACE_ERR_SDK_ENCODE_FAILED',
  frameUndecodable: 'SEMFACE_ERR_SDK_FRAME_UNDECODABLE',
  reconnectFailed: 'SEMFACE_ERR_SDK_RECONNECT_FAILED',
  protocol: 'SEMFACE_ERR_SDK_PROTOCOL',
  listenerFailed: 'SEMFACE_ERR_SDK_LISTENER_FAILED',
  codecUnavailable: 'SEMFACE_ERR_SDK_CODEC_UNAVAILABLE',
  modelFetchFailed: 'SEMFACE_ERR_SDK_MODEL_FETCH_FAILED',
  wasmInitFailed: 'SEMFACE_ERR_SDK_WASM_INIT_FAILED',
  rigModelInvalid: 'SEMFACE_ERR_SDK_RIG_MODEL_INVALID',
  bridgeFailed: 'SEMFACE_ERR_SDK_BRIDGE_FAILED',
  liveLinkCsvInvalid: 'SEMFACE_ERR_SDK_LIVELINK_CSV_INVALID',
  remoteLimit: 'SEMFACE_ERR_SDK_REMOTE_LIMIT',
} as const);

/** Name of an SDK error code. */
export type SdkErrorName = keyof typeof SdkErrorCode;
/** Stable string code of an SDK error. */
export type SdkErrorCodeValue = (typeof SdkErrorCode)[SdkErrorName];

/** Base class of every error the SDK throws or emits. */
export class SemfaceSdkError extends SemfaceError {
  declare readonly code: SdkErrorCodeValue;
  /** True when the room is finished after this error (it was disposed). */
  fatal = false;

  // biome-ignore lint/complexity/noUselessConstructor: narrows `code` to this package's codes
  constructor(code: SdkErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * The relay reported an error (`Error` message) or closed the socket with a semface close code.
 * `closeCode` is the WebSocket close code that followed (4000-4999), or 0 when the connection stays open.
 */
export class RelayError extends SemfaceSdkError {
  constructor(
    /** The relay's stable code, e.g. `SEMFACE_ERR_RELAY_UNAUTHORIZED` (empty if the relay sent none). */
    readonly relayCode: string,
    /** WebSocket close code, or 0 if the relay kept the connection open. */
    readonly closeCode: number,
    message: string,
  ) {
    super(SdkErrorCode.relay, message);
  }
}

/** The WebSocket could not be opened, or closed before the relay welcomed us. */
export class ConnectError extends SemfaceSdkError {
  constructor(
    message: string,
    /** Close code of the socket if it closed (1006 when it never opened), else 0. */
    readonly closeCode = 0,
    options?: { cause?: unknown },
  ) {
    super(SdkErrorCode.connectFailed, message, options);
  }
}

/** A handshake step (open, Welcome, Joined) or a ping took longer than allowed. */
export class TimeoutError extends SemfaceSdkError {
  constructor(message: string) {
    super(SdkErrorCode.timeout, message);
  }
}

/** The operation was cancelled through an AbortSignal. */
export class AbortedError extends SemfaceSdkError {
  constructor(message = 'aborted', options?: { cause?: unknown }) {
    super(SdkErrorCode.aborted, message, options);
  }
}

/** The room was disposed (by `dispose()`, its AbortSignal, or a fatal error). */
export class RoomDisposedError extends SemfaceSdkError {
  constructor(message = 'room is disposed') {
    super(SdkErrorCode.disposed, message);
  }
}

/** The operation needs a joined room (the token grants any room and none was joined yet). */
export class NotJoinedError extends SemfaceSdkError {
  constructor(message = 'not in a room: call room.join(name) first') {
    super(SdkErrorCode.notJoined, message);
  }
}

/** The token lacks the grant the operation needs (publish or subscribe). */
export class NotAllowedError extends SemfaceSdkError {
  constructor(message: string) {
    super(SdkErrorCode.notAllowed, message);
  }
}

/** A descriptor to publish is not a 257-value Float32Array of finite numbers. */
export class InvalidDescriptorError extends SemfaceSdkError {
  constructor(message: string) {
    super(SdkErrorCode.invalidDescriptor, message);
  }
}

/** The codec failed to encode a descriptor (the codec's error is the `cause`). */
export class EncodeError extends SemfaceSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(SdkErrorCode.encodeFailed, message, options);
  }
}

/**
 * A received frame could not be decoded (lost delta, corrupt payload, unknown model). Emitted as a
 * non-fatal `error` event; the SDK asks the publisher for a key frame.
 */
export class FrameDecodeError extends SemfaceSdkError {
  constructor(
    /** Publisher of the frame. */
    readonly participantId: string,
    /** Stream of the frame. */
    readonly stream: number,
    /** Wire sequence number of the frame. */
    readonly seq: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(SdkErrorCode.frameUndecodable, message, options);
  }
}

/** Reconnecting gave up after `reconnect.maxRetries` attempts; the last failure is the `cause`. */
export class ReconnectFailedError extends SemfaceSdkError {
  constructor(
    /** Attempts made. */
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(SdkErrorCode.reconnectFailed, `gave up reconnecting after ${attempts} attempts`, options);
  }
}

/** The relay sent something the protocol does not allow at this point. */
export class ProtocolError extends SemfaceSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(SdkErrorCode.protocol, message, options);
  }
}

/** An event listener threw; the error is the `cause`. Other listeners and the room keep running. */
export class ListenerError extends SemfaceSdkError {
  constructor(
    /** Event whose listener threw. */
    readonly event: string,
    options?: { cause?: unknown },
  ) {
    super(SdkErrorCode.listenerFailed, `a '${event}' listener threw`, options);
  }
}

/** No codec was given and the default one (@semface/codec-core with its shipped models) failed to load. */
export class CodecUnavailableError extends SemfaceSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(SdkErrorCode.codecUnavailable, message, options);
  }
}

/** Browser entry: a model file (codec, heads) could not be fetched, failed its hash check or did not parse. */
export class ModelFetchError extends SemfaceSdkError {
  constructor(
    /** URL of the file. */
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(SdkErrorCode.modelFetchFailed, message, options);
  }
}

/** Browser entry: onnxruntime-web could not start its wasm backend (wasm files missing, no WebAssembly). */
export class WasmInitError extends SemfaceSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(SdkErrorCode.wasmInitFailed, message, options);
  }
}

/** Rig: a face model (or its rig rows) has the wrong sizes, non-finite values or lacks a measured vertex. */
export class RigModelError extends SemfaceSdkError {
  constructor(message: string) {
    super(SdkErrorCode.rigModelInvalid, message);
  }
}

/** Avatar bridge (VMC / VRChat OSC over UDP): the socket could not be opened or a send failed. */
export class BridgeError extends SemfaceSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(SdkErrorCode.bridgeFailed, message, options);
  }
}

/** A Live Link Face CSV has no valid header or a row that does not parse (`line` is 1-based). */
export class LiveLinkCsvError extends SemfaceSdkError {
  constructor(
    /** 1-based line of the problem (1 = header). */
    readonly line: number,
    message: string,
  ) {
    super(SdkErrorCode.liveLinkCsvInvalid, `line ${line}: ${message}`);
  }
}

/** The receive limit a remote participant's frame went beyond (connect options, or the wire limits of @semface/protocol). */
export type RemoteLimitName =
  | 'maxRemoteStreams'
  | 'maxRemoteStreamsTotal'
  | 'maxRemoteFrameBytes'
  | 'maxModelIdLength'
  | 'maxStreamId';

/**
 * Frames of a remote participant went beyond a receive limit and were dropped before any decoder
 * was created for them: a stream beyond `maxRemoteStreams` (per participant) or `maxRemoteStreamsTotal`
 * (per room), a payload over `maxRemoteFrameBytes`, or a model id or stream id outside the wire limits.
 * Non-fatal; emitted once per participant and limit (again after the participant rejoins).
 */
export class RemoteLimitError extends SemfaceSdkError {
  constructor(
    /** Publisher of the dropped frames. */
    readonly participantId: string,
    /** Stream of the first dropped frame. */
    readonly stream: number,
    /** The limit it went beyond. */
    readonly limit: RemoteLimitName,
    message: string,
  ) {
    super(SdkErrorCode.remoteLimit, message);
  }
}
