/**
 * Wire-level part of bitstream v1: constants, header parsing/validation, CRC-32 and errors.
 * Importable as `@semface/codec-core/wire` without loading onnxruntime (the relay uses it).
 */
export * from './errors.js';
export * from './bitstream/constants.js';
export { crc32 } from './bitstream/crc32.js';
export { isModelId, modelIdFromBytes, modelIdToBytes } from './bitstream/model-id.js';
export type { StreamParams } from './bitstream/stream-params.js';
export { assertStreamParams } from './bitstream/stream-params.js';
export { type ParsedFile, fileLength, isFile, parseFile, writeFile } from './bitstream/file-format.js';
export {
  type FrameInfo,
  type ParsedFramePacket,
  framePacketLength,
  isFramePacket,
  parseFramePacket,
  writeFramePacket,
} from './bitstream/frame-packet.js';
