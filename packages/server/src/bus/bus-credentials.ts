/**
 * Credentials of a bus connection. At most one method: user + password (NATS users, Redis ACL
 * users), password alone (Redis `requirepass`), token (NATS `authorization { token }`), or an
 * nkey user seed (NATS `nkey` users; the seed signs the server's nonce and never leaves the node).
 */
export interface BusCredentials {
  user?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
  /** NATS user nkey seed (`SU...`, 58 characters). */
  nkeySeed?: string | undefined;
}

/** Shape of a NATS user nkey seed: `SU` + 56 base32 characters. */
const NKEY_USER_SEED = /^SU[A-Z2-7]{56}$/;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Splits credentials embedded in a bus URL out of it: `nats://user:pass@host:4222`,
 * `nats://token@host:4222`, `redis://user:pass@host:6379`, `redis://:pass@host:6379`
 * (percent-encoded). Returns the URL without them, so no client library sees (or logs) them.
 */
export function splitBusUrl(url: string): { url: string; credentials: BusCredentials } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, credentials: {} };
  }
  if (!u.username && !u.password) return { url, credentials: {} };
  const user = decode(u.username);
  const password = decode(u.password);
  u.username = '';
  u.password = '';
  const bare = u.toString();
  if (u.protocol === 'nats:' && user && !password) return { url: bare, credentials: { token: user } };
  return {
    url: bare,
    credentials: { ...(user ? { user } : {}), ...(password ? { password } : {}) },
  };
}

/** The URL with embedded credentials replaced by `***`: safe for logs and error messages. */
export function redactBusUrl(url: string): string {
  const at = url.indexOf('@');
  const scheme = url.indexOf('://');
  if (at < 0 || scheme < 0 || at < scheme) return url;
  return `${url.slice(0, scheme + 3)}***${url.slice(at)}`;
}

/**
 * Merges URL-embedded and explicit credentials and checks them against the bus kind.
 * @throws RangeError when credentials are given twice, methods are mixed, or the bus kind does
 *   not support the method (the message never contains a secret).
 */
export function resolveBusCredentials(
  url: string,
  explicit: BusCredentials,
): { url: string; credentials: BusCredentials } {
  const split = splitBusUrl(url);
  const given = (c: BusCredentials) =>
    [c.user, c.password, c.token, c.nkeySeed].some((v) => v !== undefined && v !== '');
  if (given(split.credentials) && given(explicit)) {
    throw new RangeError('bus credentials given both in the bus URL and as options');
  }
  const c = given(explicit) ? explicit : split.credentials;
  const methods = [c.user || c.password, c.token, c.nkeySeed].filter(Boolean).length;
  if (methods === 0) return { url: split.url, credentials: {} };
  if (methods > 1) throw new RangeError('use one bus auth method: user/password, token or nkey seed');
  const kind = split.url.startsWith('nats://')
    ? 'nats'
    : split.url.startsWith('redis://')
      ? 'redis'
      : 'other';
  if (kind === 'other') throw new RangeError('bus credentials need a nats:// or redis:// bus');
  if (c.user && !c.password) throw new RangeError('bus user needs a bus password');
  if (kind === 'nats' && c.password && !c.user) throw new RangeError('NATS password auth needs a bus user');
  if (kind === 'redis' && (c.token || c.nkeySeed)) {
    throw new RangeError('Redis buses authenticate with a password (and ACL user), not a token or nkey');
  }
  if (c.nkeySeed && !NKEY_USER_SEED.test(c.nkeySeed)) {
    throw new RangeError('bus nkey seed must be a NATS user seed (SU..., 58 characters)');
  }
  return { url: split.url, credentials: c };
}
