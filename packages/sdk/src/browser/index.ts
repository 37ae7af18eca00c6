/**
 * Browser entry of the SDK (`@semface/sdk/browser`): connect to a relay and decode the descriptor
 * stream in the page itself. The codec is codec-core's (Node-free `@semface/codec-core/portable`),
 * its synthesis model and the receiver heads (`ReceiverHeads.load({ modelsUrl, runtime })`) run on
 * onnxruntime-web (wasm). No `node:*` module, no onnxruntime-node. Bundle it for the page (the viewer uses esbuild).
 */
export { connect, relayUrl } from '../connect.js';
export { Room, type RoomState, type PublishOptions, type PublishedFrame } from '../room/room.js';
export type { DescriptorEvent, DescriptorHead, Participant, RoomEvents } from '../room/events.js';
export type { ConnectOptions, TokenSource } from '../options/connect-options.js';
export { type Understanding, understandingHead } from '../heads/room-head.js';
export {
  type ExpressionResult,
  type FaceIdentity,
  ReceiverHeads,
  type ReceiverHeadsOptions,
  type VerifyResult,
  vectorDistance,
} from '../heads/receiver-heads.js';
export {
  SdkErrorCode,
  SemfaceSdkError,
  ModelFetchError,
  WasmInitError,
  FrameDecodeError,
  RemoteLimitError,
  RelayError,
  ConnectError,
} from '../errors.js';
export { type OnnxWebOptions, onnxWebRuntime } from './onnx-web.js';
export { type BrowserCodecOptions, loadBrowserCodec } from './browser-codec.js';
export * from '../rig/index.js';
export { RigModelError, LiveLinkCsvError } from '../errors.js';
// The descriptor layout and the one error base, so apps need no second package for them.
export { DESCRIPTOR_LENGTH, DescriptorField } from '../codec/layout.js';
export { SemfaceError } from '@semface/protocol/errors';
