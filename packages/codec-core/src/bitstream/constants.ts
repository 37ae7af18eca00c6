/** Wire constants of bitstream v1 (see docs/bitstream.md). Defined once, shared by writer and reader. */

/** Version byte written by this build; readers reject any other value. */
export const BITSTREAM_VERSION = 1 as const;

/** First four bytes of a batch file: ASCII "SFC1". */
export const FILE_MAGIC = Object.freeze([0x53, 0x46, 0x43, 0x31] as const);

/** High nibble of a frame packet's first byte; the low nibble is the version (0xA1 for v1). */
export const FRAME_MARKER = 0xa0 as const;

/** Bytes of a model id on the wire (the first 12 hex digits of the model's SHA-256). */
export const MODEL_ID_BYTES = 6 as const;

/** Entropy back-ends and their wire values. */
export const CoderId = {
  /** Exp-Golomb binarisation + adaptive binary range coder with a PPM context model. */
  ppm: 0,
  /** Learned factorised prior (frozen 16-bit CDFs), range coded; the name is the design's (see docs/bitstream.md). */
  rans: 1,
} as const;

/** Name of an entropy back-end. */
export type CoderName = keyof typeof CoderId;

/** Coder names in wire order (the index is the wire value). */
export const CODER_NAMES = Object.freeze(['ppm', 'rans'] as const satisfies readonly CoderName[]);

/** Bits of the frame packet `flags` byte. */
export const FrameFlag = {
  /**
   * Key frame: the stream params follow the flags and entropy statistics were reset before this frame,
   * so a decoder can start here. Other frames carry no params.
   */
  keyFrame: 0x01,
} as const;

/** Fixed part of a batch file header, before the frame length table. */
export const FILE_HEADER_BYTES = 21 as const;

/** Bytes of the CRC-32 trailer of files and frame packets. */
export const CRC_BYTES = 4 as const;

/** Bytes of the stream params block (model id, profile, rate index, coder, latent dim). */
export const STREAM_PARAMS_BYTES = 11 as const;

/** Largest payload of one frame (3-byte varint length in files and frame packets). */
export const MAX_FRAME_PAYLOAD_BYTES = 0xffff as const;

/** Largest latent dimension a header may declare; bounds decoder allocations. */
export const MAX_LATENT_DIM = 4096 as const;
