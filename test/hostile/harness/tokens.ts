import { createHmac } from 'node:crypto';

const b64u = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Now, Unix epoch seconds. */
export const nowS = (): number => Math.floor(Date.now() / 1000);

/**
 * Signs an HS256 JWT from raw header and claims (no validation: lets tests craft tokens that
 * mintToken refuses to make, e.g. without `iat` or with odd header fields).
 */
export function signJwt(
  secret: string,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
): string {
  const input = `${b64u(header)}.${b64u(claims)}`;
  const sig = createHmac('sha256', secret).update(input).digest('base64url');
  return `${input}.${sig}`;
}

/** Claims of a valid relay token (override any). */
export function relayClaims(over: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowS();
  return {
    sub: 'crafted',
    room: '*',
    can_publish: true,
    can_subscribe: true,
    iss: 'semface',
    aud: 'semface-relay',
    iat: now,
    exp: now + 600,
    ...over,
  };
}

/** A token whose JWT header carries a long non-ASCII `crit` value (finding 1); any signature. */
export function critBombToken(): string {
  return `${b64u({ alg: 'HS256', crit: ['é'.repeat(200)] })}.${b64u(relayClaims())}.AAAA`;
}

/** Decodes a JWT's claims without checking it. */
export function peekClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}
