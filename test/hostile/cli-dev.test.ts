// Finding 9: `semface serve --dev` with an explicit --token-secret refuses to start (exit code 2,
// clear message): --dev mints tokens for anyone, so it must never sit next to a real secret.
// The dev token endpoint answers loopback clients only and clamps what it mints.
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRelay, HostileSocket, httpRequest, peekClaims, startCliRelay } from './harness/index.js';

/** Longest lifetime a dev token may have (the relay's own maximum lifetime is 24 h). */
const MAX_DEV_TOKEN_TTL = 86_400;

function externalIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}
const EXTERNAL = externalIPv4();

/** Waits for the CLI to either exit or start listening. */
async function outcome(cli: CliRelay): Promise<{ exit?: number | null; url?: string }> {
  const timeout = new Promise<never>((_, rej) =>
    setTimeout(() => rej(new Error('neither exit nor listen')), 15_000),
  );
  return Promise.race([
    cli.exited.then((e) => ({ exit: e.code })),
    cli.listening.then((url) => ({ url })),
    timeout,
  ]);
}

describe('semface serve --dev', () => {
  it('refuses --dev together with an explicit --token-secret (exit 2, clear message)', async () => {
    const cli = startCliRelay(['--dev', '--token-secret', randomBytes(32).toString('hex'), '--port', '0']);
    try {
      const o = await outcome(cli);
      expect(o.url, 'relay started with --dev and a real secret').toBeUndefined();
      expect(o.exit).toBe(2);
      expect(cli.stderr()).toMatch(/--dev/);
      expect(cli.stderr()).toMatch(/--token-secret|secret/);
    } finally {
      await cli.close();
    }
  });

  it.runIf(EXTERNAL)('does not mint dev tokens for non-loopback clients', async () => {
    const cli = startCliRelay(['--dev', '--host', '0.0.0.0', '--port', '0', '--log-level', 'silent']);
    try {
      const o = await outcome(cli);
      if (o.url === undefined) {
        // Refusing to serve the dev endpoint on a public interface at all is fine too.
        expect(o.exit).not.toBe(0);
        return;
      }
      const port = new URL(o.url).port;
      const res = await httpRequest(`http://${EXTERNAL}:${port}/v1/dev/token`, {
        method: 'POST',
        body: { identity: 'remote', room: 'r' },
      });
      expect(res.status).not.toBe(200);
      expect(res.text).not.toMatch(/"token"/);
    } finally {
      await cli.close();
    }
  });

  describe('dev token endpoint (loopback)', () => {
    let cli: CliRelay;
    let http: string;
    let url: string;
    beforeAll(async () => {
      cli = startCliRelay(['--dev', '--port', '0', '--log-level', 'silent']);
      url = await cli.listening;
      http = url.replace(/^ws:/, 'http:').replace(/\/v1\/relay$/, '');
    });
    afterAll(async () => {
      await cli.close();
    });

    it('clamps the token lifetime', async () => {
      for (const ttlSeconds of [1e9, 10 * 365 * 86_400, 2 ** 31]) {
        const res = await httpRequest(`${http}/v1/dev/token`, {
          method: 'POST',
          body: { identity: 'greedy', room: 'r', ttlSeconds },
        });
        if (res.status !== 200) {
          expect(res.status).toBe(400);
          continue;
        }
        const claims = peekClaims((res.json as { token: string }).token);
        expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(MAX_DEV_TOKEN_TTL);
      }
    });

    it('refuses or clamps oversized identities and invalid rooms', async () => {
      const long = await httpRequest(`${http}/v1/dev/token`, {
        method: 'POST',
        body: { identity: 'x'.repeat(5000), room: 'r' },
      });
      if (long.status === 200) {
        expect(String(peekClaims((long.json as { token: string }).token).sub).length).toBeLessThanOrEqual(
          128,
        );
      } else {
        expect(long.status).toBe(400);
      }
      for (const room of ['../etc', 'a'.repeat(65), 'é', '']) {
        const res = await httpRequest(`${http}/v1/dev/token`, {
          method: 'POST',
          body: { identity: 'x', room },
        });
        expect(res.status, `room '${room}'`).toBe(400);
      }
      const huge = await httpRequest(`${http}/v1/dev/token`, {
        method: 'POST',
        body: { identity: 'x', room: 'r', pad: 'p'.repeat(64 * 1024) },
      });
      expect(huge.status).toBe(413);
    });

    it('mints tokens that work', async () => {
      const res = await httpRequest(`${http}/v1/dev/token`, {
        method: 'POST',
        body: { identity: 'dev', room: 'r' },
      });
      expect(res.status).toBe(200);
      const s = await HostileSocket.authenticated(url, (res.json as { token: string }).token);
      s.close();
    });
  });
});
