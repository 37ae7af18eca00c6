import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TokenVerifier, mintToken } from './token.js';

const SECRET = 's'.repeat(40);
const now = () => Math.floor(Date.now() / 1000);

async function raw(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ room: 'r', can_publish: true, can_subscribe: true, ...claims })
    .setProtectedHeader({ alg: 'HS256', ...header })
    .setSubject('alice')
    .setIssuer('semface')
    .setAudience(TOKEN_AUDIENCE)
    .sign(new TextEncoder().encode(SECRET));
}

describe('TokenVerifier lifetime rules', () => {
  const v = new TokenVerifier(SECRET, 'semface', { maxTtlSeconds: 3600, clockSkewSeconds: 30 });

  it('accepts a token within the maximum lifetime', async () => {
    const g = await v.verify(await mintToken(SECRET, { identity: 'a', room: 'r', ttlSeconds: 3600 }));
    expect(g.identity).toBe('a');
    expect(g.canReceiveIdentityCode).toBe(false);
  });

  it('refuses an iat in the future', async () => {
    const t = await raw({ iat: now() + 600, exp: now() + 1200 });
    await expect(v.verify(t)).rejects.toMatchObject({ code: 'SEMFACE_ERR_RELAY_UNAUTHORIZED' });
  });

  it('refuses a lifetime above the maximum, with or without iat', async () => {
    await expect(
      v.verify(await mintToken(SECRET, { identity: 'a', room: 'r', ttlSeconds: 7200 })),
    ).rejects.toThrow(/lifetime/);
    await expect(v.verify(await raw({ exp: now() + 7200 }))).rejects.toThrow(/lifetime/);
  });

  it('reads the identity_code grant and rejects a non-boolean one', async () => {
    const t = await mintToken(SECRET, { identity: 'a', room: 'r', canReceiveIdentityCode: true });
    expect((await v.verify(t)).canReceiveIdentityCode).toBe(true);
    await expect(v.verify(await raw({ iat: now(), exp: now() + 60, identity_code: 'yes' }))).rejects.toThrow(
      /identity_code/,
    );
  });

  it('keeps attacker-chosen header text short and printable in its message', async () => {
    // jose will not sign an unknown `crit`; an attacker does not need it to.
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = b64({ alg: 'HS256', crit: ['é'.repeat(500)] });
    const body = b64({ sub: 'a', iat: now(), exp: now() + 60 });
    const sig = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
    const t = `${head}.${body}.${sig}`;
    const err = (await v.verify(t).catch((e: unknown) => e)) as Error;
    expect(err.message.length).toBeLessThanOrEqual(140);
    expect(err.message).toMatch(/^[\x20-\x7e]*$/);
  });
});
