import { parseArgs } from 'node:util';
import { RELAY_ENV_VARS, mintToken } from '@semface/server';
import type { Command } from '../command.js';

const USAGE = `Usage: semface token --identity NAME [--room ROOM] [options]

Mints a relay access token (JWT HS256) and prints it. For development and tests; production
systems mint tokens in their own backend with the same secret.

Options:
  --identity NAME     token subject, shown to other peers (required)
  --room ROOM         room to grant, or * for any room (default *)
  --no-publish        deny publishing frames
  --no-subscribe      deny receiving frames
  --ttl SECONDS       lifetime (default 3600)
  --secret S          HS256 secret, >= 32 bytes (default: env SEMFACE_TOKEN_SECRET)
  --issuer ISS        issuer claim (default semface; env SEMFACE_TOKEN_ISSUER)`;

/** `semface token`: mints a development access token. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'mint a relay access token (dev)',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        identity: { type: 'string' },
        room: { type: 'string', default: '*' },
        'no-publish': { type: 'boolean', default: false },
        'no-subscribe': { type: 'boolean', default: false },
        ttl: { type: 'string', default: '3600' },
        secret: { type: 'string' },
        issuer: { type: 'string' },
      },
      strict: true,
    });
    const secret = values.secret ?? process.env[RELAY_ENV_VARS.tokenSecret!];
    if (!values.identity || !secret) {
      process.stderr.write(
        'semface token: --identity and a secret (--secret or SEMFACE_TOKEN_SECRET) are required\n',
      );
      return 2;
    }
    if (!/^\d+$/.test(values.ttl)) throw new TypeError('--ttl must be a positive integer');
    const token = await mintToken(secret, {
      identity: values.identity,
      room: values.room,
      canPublish: !values['no-publish'],
      canSubscribe: !values['no-subscribe'],
      ttlSeconds: Number(values.ttl),
      issuer: values.issuer ?? process.env[RELAY_ENV_VARS.tokenIssuer!] ?? 'semface',
    });
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
