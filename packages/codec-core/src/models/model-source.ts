import { sha256Hex } from './sha256.js';

/**
 * Where a {@link ModelCatalog} reads its files from: a folder on disk (Node) or a URL (browsers).
 * Paths are relative to the models folder (`manifest.json`, `<id>/<file>`).
 */
export interface ModelSource {
  /** The folder or URL, for messages. */
  readonly location: string;
  /** Full path or URL of a relative path, for messages. */
  describe(relativePath: string): string;
  /** The file's bytes; rejects when it cannot be read. */
  read(relativePath: string): Promise<Uint8Array>;
  /** Lower-case hex SHA-256 of the concatenated parts. */
  sha256(...parts: Uint8Array[]): Promise<string>;
}

/**
 * Hex SHA-256 with the Web Crypto API (browsers in a secure context, Node >= 19), or the plain
 * TypeScript {@link sha256Hex} where `crypto.subtle` is missing (a page served over http on a LAN address).
 */
export async function webCryptoSha256(...parts: Uint8Array[]): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  if (!subtle) return sha256Hex(all);
  const digest = new Uint8Array(await subtle.digest('SHA-256', all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads models over HTTP(S) with `fetch` from `baseUrl` (a folder URL; a trailing `/` is added). */
export function fetchModelSource(baseUrl: string, fetchFn: typeof fetch = globalThis.fetch): ModelSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    location: base,
    describe: (rel) => `${base}${rel}`,
    async read(rel) {
      const res = await fetchFn(`${base}${rel}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    sha256: webCryptoSha256,
  };
}
