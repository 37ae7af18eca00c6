import { CODER_NAMES, type CoderName, PROFILE_NAMES, type ProfileName } from '@semface/codec-core';

/** Parses `--profile` (or another profile-valued flag); RangeError for unknown names. */
export function parseProfile(text: string | undefined, fallback: ProfileName, flag = 'profile'): ProfileName {
  if (text === undefined) return fallback;
  if (!(PROFILE_NAMES as readonly string[]).includes(text)) {
    throw new RangeError(`--${flag} must be one of ${PROFILE_NAMES.join('|')}, got '${text}'`);
  }
  return text as ProfileName;
}

/** Parses `--coder`; RangeError for unknown names. */
export function parseCoder(text: string | undefined, fallback: CoderName): CoderName {
  if (text === undefined) return fallback;
  if (!(CODER_NAMES as readonly string[]).includes(text)) {
    throw new RangeError(`--coder must be one of ${CODER_NAMES.join('|')}, got '${text}'`);
  }
  return text as CoderName;
}

/** Parses `--rate`: an integer 0..255. */
export function parseRate(text: string | undefined): number {
  if (text === undefined) return 0;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0 || v > 255)
    throw new RangeError(`--rate must be an integer 0..255, got '${text}'`);
  return v;
}

/** Parses a non-negative integer option such as `--key-interval`. */
export function parseCount(name: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0)
    throw new RangeError(`--${name} must be a non-negative integer, got '${text}'`);
  return v;
}
