import { randomBytes } from 'node:crypto';
import { type RelayServer, type RelayServerOptions, createRelayServer, mintToken } from '@semface/server';

/** A started relay on an ephemeral loopback port with quiet logs. */
export async function startRelay(
  opts: Partial<RelayServerOptions> = {},
  secret = randomBytes(32).toString('hex'),
): Promise<{ server: RelayServer; url: string; http: string; secret: string; token: TokenFn }> {
  const server = createRelayServer({ tokenSecret: secret, port: 0, logLevel: 'silent', ...opts });
  const addr = await server.start();
  const token: TokenFn = (identity, room = 'room1', extra = {}) =>
    mintToken(secret, { identity, room, ...extra });
  return { server, url: addr.url, http: `http://127.0.0.1:${addr.port}`, secret, token };
}

export type TokenFn = (
  identity: string,
  room?: string,
  extra?: { canPublish?: boolean; canSubscribe?: boolean; ttlSeconds?: number },
) => Promise<string>;
