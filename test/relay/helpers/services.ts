import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../../scripts/services/service.sh');

/** External services the bus tests need. */
export type ServiceKind = 'nats' | 'redis';

const BINARIES: Record<ServiceKind, string> = { nats: 'nats-server', redis: 'redis-server' };

/** True if the service binary is installed (tests skip otherwise). */
export function hasService(kind: ServiceKind): boolean {
  const bin = BINARIES[kind];
  if (existsSync(`/usr/sbin/${bin}`) || existsSync(`/usr/bin/${bin}`)) return true;
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A free-ish loopback port in a range other helpers' tests do not use. */
export function testPort(base: number): number {
  return base + Math.floor(Math.random() * 2000);
}

/** Authentication a service starts with (see scripts/services/service.sh). */
export interface ServiceAuth {
  user?: string;
  pass?: string;
  token?: string;
  /** NATS nkey user public key (`U...`). */
  nkey?: string;
}

export function startService(kind: ServiceKind, port: number, auth: ServiceAuth = {}): void {
  const args = ['start', kind, String(port)];
  for (const [flag, v] of Object.entries(auth)) if (v !== undefined) args.push(`--${flag}`, v);
  execFileSync(script, args, { stdio: 'ignore' });
}

export function stopService(kind: ServiceKind, port: number): void {
  execFileSync(script, ['stop', kind, String(port)], { stdio: 'ignore' });
}

export function serviceUrl(kind: ServiceKind, port: number): string {
  return `${kind}://127.0.0.1:${port}`;
}
