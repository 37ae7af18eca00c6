export { semface } from './generated/semface.js';
export {
  pb,
  ENVELOPE_BODIES,
  encodeEnvelope,
  decodeEnvelope,
  encodeBusMessage,
  decodeBusMessage,
  type EnvelopeBody,
  type DecodedEnvelope,
} from './envelope.js';
export {
  FrameKind,
  frameKindName,
  isReliableKind,
  isBiometricKind,
  type FrameKindName,
  type FrameKindValue,
} from './frame-kind.js';
export { FrameCoding, type FrameCodingValue } from './frame-coding.js';
export { CloseCode, type CloseCodeName, type CloseCodeValue } from './close-codes.js';
export {
  RelayErrorCode,
  RELAY_ERROR_CLOSE_CODE,
  type RelayErrorName,
  type RelayErrorCodeValue,
} from './error-codes.js';
export {
  PROTOCOL_VERSION,
  MIN_PROTOCOL_VERSION,
  RELAY_PATH,
  WireLimits,
  ROOM_NAME_PATTERN,
  ANY_ROOM,
  isValidRoomName,
} from './limits.js';
export * from './errors.js';
export {
  type CompactFrame,
  COMPACT_FRAME_MARKER,
  MAX_TRACK,
  CompactFrameError,
  compactFrameOverhead,
  encodeCompactFrame,
  decodeCompactFrame,
  foldCaptureTimeMs,
  unwrapCaptureTimeMs,
} from './wire/compact-frame.js';
export { BUNDLE_MARKER, MAX_BUNDLE_ENTRIES, encodeBundle, decodeBundle } from './wire/bundle.js';
export { type WireMessageType, wireMessageType } from './wire/wire-message.js';
export { FOLLOW_ON_FLAG, compressBundleEntries, expandBundleEntries } from './wire/bundle-frames.js';

import type { semface } from './generated/semface.js';
/** Plain-object shapes of the wire messages (`semface.v1.I*`). */
export type IEnvelope = semface.v1.IEnvelope;
export type IHello = semface.v1.IHello;
export type IWelcome = semface.v1.IWelcome;
export type IJoin = semface.v1.IJoin;
export type IJoined = semface.v1.IJoined;
export type ILeave = semface.v1.ILeave;
export type IPeer = semface.v1.IPeer;
export type IPeerJoined = semface.v1.IPeerJoined;
export type IPeerLeft = semface.v1.IPeerLeft;
export type IFrame = semface.v1.IFrame;
export type IKeyFrameRequest = semface.v1.IKeyFrameRequest;
export type IPing = semface.v1.IPing;
export type IPong = semface.v1.IPong;
export type IError = semface.v1.IError;
export type IBusMessage = semface.v1.IBusMessage;
export type ITrack = semface.v1.ITrack;
