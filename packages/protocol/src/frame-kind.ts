/**
 * Frame kinds on the wire (values of `semface.v1.FrameKind`).
 * `key` and `identity` frames are never dropped by the relay; `delta` frames may be (latest wins).
 */
export const FrameKind = Object.freeze({
  key: 1,
  delta: 2,
  identity: 3,
  /** Recognition-grade identity code: biometric, forwarded only to subscribers granted `identity_code`. */
  identityCode: 4,
} as const);

/** Name of a frame kind. */
export type FrameKindName = keyof typeof FrameKind;
/** Wire value of a frame kind. */
export type FrameKindValue = (typeof FrameKind)[FrameKindName];

const NAMES: Readonly<Record<number, FrameKindName>> = Object.freeze({
  1: 'key',
  2: 'delta',
  3: 'identity',
  4: 'identityCode',
});

/** Name of a wire frame kind, or `undefined` for 0 / unknown values. */
export function frameKindName(value: number): FrameKindName | undefined {
  return NAMES[value];
}

/** True for kinds the relay must deliver and cache for late joiners (key, identity, identity code). */
export function isReliableKind(value: number): boolean {
  return value === FrameKind.key || value === FrameKind.identity || value === FrameKind.identityCode;
}

/** True for kinds that carry biometric data and need the subscriber's `identity_code` grant. */
export function isBiometricKind(value: number): boolean {
  return value === FrameKind.identityCode;
}
