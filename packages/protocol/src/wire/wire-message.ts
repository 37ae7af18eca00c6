import { BUNDLE_MARKER } from './bundle.js';
import { COMPACT_FRAME_MARKER } from './compact-frame.js';

/** What a protocol v2 WebSocket message (or bundle entry) holds, by its first byte. */
export type WireMessageType = 'frame' | 'bundle' | 'envelope';

/**
 * Classifies a v2 message: 0x80..0xFF compact frame, 0x01 bundle, anything else a protobuf
 * Envelope (whose first byte is a field tag 0x08..0x7F). v1 connections carry only Envelopes.
 */
export function wireMessageType(bytes: Uint8Array): WireMessageType {
  const b = bytes[0] ?? 0;
  if (b & COMPACT_FRAME_MARKER) return 'frame';
  if (b === BUNDLE_MARKER) return 'bundle';
  return 'envelope';
}
