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

/** First and last base a test file may pass to {@link testPort} (steps of 2000). */
const FIRST_BASE = 24_000;
const LAST_BASE = 48_000;
/** Ports per test file's window, and where the windows start. */
const WINDOW = 1_800;
const WINDOWS_START = 8_000;

/**
 * A free-ish loopback port in a window no other test file uses: `base` (24000, 26000, ... 48000) names
 * the file's window. Windows lie in 8000-31399, below Linux's ephemeral range (32768-60999): a port in
 * that range can already be held by any client socket (the OS hands them out), which made a service
 * start fail now and then with "address already in use".
 */
export function testPort(base: number): number {
  if (base < FIRST_BASE || base > LAST_BASE || (base - FIRST_BASE) % 2000 !== 0)
    throw new RangeError(
      `testPort base must be one of ${FIRST_BASE}, ${FIRST_BASE + 2000}, ... ${LAST_BASE}`,
    );
  const slot = (base - FIRST_BASE) / 2000;
  return WINDOWS_START + slot * WINDOW + Math.floor(Math.random() * WINDOW);
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
