/** Wire constants of the layered temporal stream (docs/bitstream.md, "Temporal stream"). */

/** Version of key packets whose per-frame layer is the latent layer (expression-profile model latents). */
export const TEMPORAL_VERSION = 1 as const;

/**
 * Version of key packets whose per-frame layer is the transform layer (motion transform coefficients
 * with a uniform step, header carries the step); readers accept this and {@link TEMPORAL_VERSION}.
 */
export const TEMPORAL_TRANSFORM_VERSION = 2 as const;

/** Unit of the transform layer's quantiser step on the wire (u16): 1e-4. */
export const MOTION_STEP_UNIT = 1e-4;

/** Second byte of a key packet: high nibble 0xB0 marks a temporal key packet, low nibble the version. */
export const TEMPORAL_KEY_MARKER = 0xb0 as const;

/** Packet types (top two bits of the first byte). */
export const TemporalPacketType = {
  /** Per-frame layer coded as a residual against the previous decoded frame. */
  delta: 0,
  /** Residual all zero after the dead zone: header byte only, the decoder repeats its last frame. */
  skip: 1,
  /** Self-contained: stream header, identity layer and per-frame layer coded intra; resets statistics. */
  key: 2,
  /** New identity layer (intra) plus the per-frame residual. */
  identity: 3,
} as const;

/** Name of a temporal packet type. */
export type TemporalPacketKind = keyof typeof TemporalPacketType;

/** Packet type names in wire order. */
export const TEMPORAL_PACKET_KINDS = Object.freeze([
  'delta',
  'skip',
  'key',
  'identity',
] as const satisfies readonly TemporalPacketKind[]);

/** Sequence numbers are the low six bits of the first byte: +1 per packet, modulo 64. */
export const TEMPORAL_SEQUENCE_MODULO = 64 as const;

/** Unit of the lighting quantiser step on the wire (u16): 1e-4. */
export const LIGHTING_STEP_UNIT = 1e-4;
