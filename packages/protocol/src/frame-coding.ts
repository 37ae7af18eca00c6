/**
 * How a stream's payloads are coded (values of `semface.v1.FrameCoding`): codec-core intra frame
 * packets or its layered temporal coding. `unspecified` comes from v1 clients that predate the
 * field: there a model id starting with `temporal-v1:` means temporal (read for one version more).
 */
export const FrameCoding = Object.freeze({
  unspecified: 0,
  intra: 1,
  temporal: 2,
} as const);

/** Wire value of a frame coding. */
export type FrameCodingValue = (typeof FrameCoding)[keyof typeof FrameCoding];
