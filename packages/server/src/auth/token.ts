import { ANY_ROOM, WireLimits, isValidRoomName } from '@semface/protocol';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { TokenExpiredError, TokenInvalidError } from '../errors.js';

/** What a relay access token allows. */
export interface Grants {
  /** Identity of the holder (JWT `sub`). */
  readonly identity: string;
  /** Room the token is valid for, or `*` for any room. */
  readonly room: string;
  /** May send frames. */
  readonly canPublish: boolean;
  /** May receive frames. */
  readonly canSubscribe: boolean;
  /** May receive identity-code frames (biometric data; JWT claim `identity_code`, default false). */
  readonly canReceiveIdentityCode: boolean;
  /** Expiry, Unix epoch seconds. */
  readonly expiresAt: number;
}

/** Options of {@link mintToken}. */
export interface MintTokenOptions {
  /** Identity (`sub`). */
  identity: string;
  /** Room or `*`. */
  room: string;
  /** Publish grant. Default true. */
  canPublish?: boolean;
  /** Subscribe grant. Default true. */
  canSubscribe?: boolean;
  /** Grant to receive identity-code frames (biometric). Default false. */
  canReceiveIdentityCode?: boolean;
  /** Lifetime in seconds. Default 3600. */
  ttlSeconds?: number;
  /** Issuer claim. Default `semface`. */
  issuer?: string;
  /** Issue time, Unix epoch seconds (expiry = issuedAt + ttlSeconds). Default now. */
  issuedAt?: number;
}

/** JWT issuer the relay expects by default. */
export const DEFAULT_TOKEN_ISSUER = 'semface';
/** JWT audience of relay tokens. */
export const TOKEN_AUDIENCE = 'semface-relay';
/** Shortest accepted HS256 secret, in bytes (RFC 7518: key at least as long as the hash). */
export const MIN_SECRET_BYTES = 32;

const encoder = new TextEncoder();

function secretKey(secret: string): Uint8Array {
  if (typeof secret !== 'string') throw new TypeError('token secret must be a string');
  const key = encoder.encode(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new RangeError(`token secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return key;
}

function checkRoom(room: string): void {
  if (room !== ANY_ROOM && !isValidRoomName(room)) throw new RangeError(`invalid room name '${room}'`);
}

/** Signs an HS256 relay token. */
export async function mintToken(secret: string, opts: MintTokenOptions): Promise<string> {
  const key = secretKey(secret);
  if (typeof opts.identity !== 'string' || opts.identity.length === 0) {
    throw new TypeError('identity must be a non-empty string');
  }
  if (opts.identity.length > WireLimits.maxIdentityLength) throw new RangeError('identity too long');
  checkRoom(opts.room);
  const ttl = opts.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError('ttlSeconds must be a positive integer');
  const iat = opts.issuedAt ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(iat) || iat < 0) throw new RangeError('issuedAt must be a non-negative integer');
  const claims: Record<string, unknown> = {
    room: opts.room,
    can_publish: opts.canPublish ?? true,
    can_subscribe: opts.canSubscribe ?? true,
  };
  if (opts.canReceiveIdentityCode !== undefined) {
    if (typeof opts.canReceiveIdentityCode !== 'boolean')
      throw new TypeError('canReceiveIdentityCode must be a boolean');
    claims.identity_code = opts.canReceiveIdentityCode;
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.identity)
    .setIssuer(opts.issuer ?? DEFAULT_TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(key);
}

/** Lifetime rules of a {@link TokenVerifier}. */
export interface TokenLifetimeLimits {
  /** Longest accepted lifetime (`exp - iat`, or `exp - now` without `iat`), seconds. Default 86400. */
  readonly maxTtlSeconds?: number;
  /** Tolerated clock difference on `iat` and `exp`, seconds. Default 30. */
  readonly clockSkewSeconds?: number;
}

/** Longest error text taken from a token library into a client-visible message, characters. */
const MAX_DETAIL_CHARS = 120;

/** Verifies relay tokens with one secret; reusable. */
export class TokenVerifier {
  readonly #key: Uint8Array;
  readonly #issuer: string;
  readonly #maxTtl: number;
  readonly #skew: number;
  constructor(secret: string, issuer: string = DEFAULT_TOKEN_ISSUER, limits: TokenLifetimeLimits = {}) {
    this.#key = secretKey(secret);
    this.#issuer = issuer;
    this.#maxTtl = limits.maxTtlSeconds ?? 86_400;
    this.#skew = limits.clockSkewSeconds ?? 30;
  }

  /**
   * Checks signature (HS256 only), issuer, audience, expiry, issue time (not in the future) and
   * lifetime (at most the configured maximum), and returns the grants.
   * @throws TokenExpiredError, TokenInvalidError
   */
  async verify(token: string | null | undefined): Promise<Grants> {
    if (!token) throw new TokenInvalidError('missing token');
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        issuer: this.#issuer,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: this.#skew,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new TokenExpiredError('token expired', { cause: err });
      // The library's text can quote attacker-chosen header values: keep it short and printable.
      const detail = String((err as Error).message)
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, MAX_DETAIL_CHARS);
      throw new TokenInvalidError(`invalid token: ${detail}`, { cause: err });
    }
    const {
      sub,
      room,
      can_publish: pub,
      can_subscribe: subscribe,
      identity_code: idCode,
      exp,
      iat,
    } = payload as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenInvalidError('invalid exp claim');
    if (iat !== undefined) {
      if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new TokenInvalidError('invalid iat claim');
      if (iat > now + this.#skew) throw new TokenInvalidError('token issued in the future (iat)');
    }
    const lifetime = exp - (typeof iat === 'number' ? iat : now);
    if (lifetime > this.#maxTtl) {
      throw new TokenInvalidError(
        `token lifetime ${lifetime} s exceeds the relay's maximum ${this.#maxTtl} s`,
      );
    }
    if (idCode !== undefined && typeof idCode !== 'boolean')
      throw new TokenInvalidError('invalid identity_code claim');
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > WireLimits.maxIdentityLength) {
      throw new TokenInvalidError('invalid sub claim');
    }
    if (typeof room !== 'string' || (room !== ANY_ROOM && !isValidRoomName(room))) {
      throw new TokenInvalidError('invalid room claim');
    }
    if (typeof pub !== 'boolean' || typeof subscribe !== 'boolean') {
      throw new TokenInvalidError('invalid grant claims');
    }
    return Object.freeze({
      identity: sub,
      room,
      canPublish: pub,
      canSubscribe: subscribe,
      canReceiveIdentityCode: idCode === true,
      expiresAt: exp,
    });
  }
}
