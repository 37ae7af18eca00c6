/**
 * One side (encoder or decoder) of an entropy back-end over frames of integer latents.
 * Implementations may keep statistics across frames; {@link reset} returns them to the key-frame state.
 */
export interface LatentFrameEncoder {
  /** Entropy-codes one frame of `latentDim` integer latents. */
  encodeFrame(latents: Int32Array): Uint8Array;
  /** Forgets adaptive statistics (before a key frame). */
  reset(): void;
}

/** Decoder counterpart of {@link LatentFrameEncoder}; throws only CodecError subclasses on corrupt input. */
export interface LatentFrameDecoder {
  /** Decodes one frame payload into `latentDim` integer latents. */
  decodeFrame(payload: Uint8Array): Int32Array;
  /** Forgets adaptive statistics (before a key frame). */
  reset(): void;
}
