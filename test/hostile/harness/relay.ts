import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RelayServer, type RelayServerOptions, createRelayServer, mintToken } from '@semface/server';
import { type MemorySample, inProcessMemory } from './memory.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root. */
export const ROOT = resolve(here, '../../..');
/** The built CLI (`semface`). */
export const CLI_BIN = resolve(ROOT, 'packages/cli/dist/bin.js');

/** Extra grants of a test token. */
export interface TokenExtra {
  canPublish?: boolean;
  canSubscribe?: boolean;
  ttlSeconds?: number;
  issuedAt?: number;
}
export type TokenFn = (identity: string, room?: string, extra?: TokenExtra) => Promise<string>;

/** What every harness relay offers, in process or not. */
export interface HostileRelay {
  readonly url: string;
  /** `http://127.0.0.1:port` */
  readonly http: string;
  readonly port: number;
  readonly secret: string;
  readonly token: TokenFn;
  /** Relay-process memory after garbage collection. */
  memory(): Promise<MemorySample>;
  /** True while the relay process runs (always true in process). */
  alive(): boolean;
  close(): Promise<void>;
}

function tokenFn(secret: string): TokenFn {
  return (identity, room = 'room1', extra = {}) => mintToken(secret, { identity, room, ...extra });
}

/** Relay in the test process (most tests: fast, debuggable). */
export async function startInProcessRelay(
  opts: Partial<RelayServerOptions> = {},
  secret = randomBytes(32).toString('hex'),
): Promise<HostileRelay & { server: RelayServer }> {
  const server = createRelayServer({ tokenSecret: secret, port: 0, logLevel: 'silent', ...opts });
  const addr = await server.start();
  return {
    server,
    url: addr.url,
    http: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    secret,
    token: tokenFn(secret),
    memory: inProcessMemory,
    alive: () => true,
    close: () => server.close(),
  };
}

/** Exit of a child relay. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A relay in a child process started through createRelayServer (test/hostile/harness/relay-child.mjs). */
export interface ChildRelay extends HostileRelay {
  readonly child: ChildProcess;
  /** Resolves when the process exits (a crash included). */
  readonly exited: Promise<ChildExit>;
  /** stderr so far (uncaught exceptions land here). */
  stderr(): string;
  /** stdout so far (pino logs), when started with `captureStdout`. */
  stdout(): string;
}

function onceMessage<T>(child: ChildProcess, key: string, timeoutMs = 15_000): Promise<T> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => done(new Error(`relay child: no '${key}' in ${timeoutMs} ms`)), timeoutMs);
    const onMsg = (m: unknown) => {
      if (m && typeof m === 'object' && key in m) done(undefined, (m as Record<string, T>)[key]);
    };
    const onExit = (code: number | null) => done(new Error(`relay child exited (${code}) before '${key}'`));
    function done(err?: Error, value?: T) {
      clearTimeout(timer);
      child.off('message', onMsg);
      child.off('exit', onExit);
      if (err) rej(err);
      else res(value as T);
    }
    child.on('message', onMsg);
    child.once('exit', onExit);
  });
}

/** Relay in a child process: a crash is an observable exit and memory is the relay's own. */
export async function startChildRelay(
  opts: Partial<Omit<RelayServerOptions, 'bus' | 'logger'>> = {},
  secret = randomBytes(32).toString('hex'),
  io: { captureStdout?: boolean } = {},
): Promise<ChildRelay> {
  const child = fork(resolve(here, 'relay-child.mjs'), [JSON.stringify({ tokenSecret: secret, ...opts })], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', io.captureStdout ? 'pipe' : 'ignore', 'pipe', 'ipc'],
  });
  let err = '';
  let out = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  child.stdout?.on('data', (d: Buffer) => {
    // Keep the tail only: a hostile log could be large.
    out = (out + d.toString()).slice(-4 * 1024 * 1024);
  });
  let running = true;
  const exited = new Promise<ChildExit>((res) =>
    child.once('exit', (code, signal) => {
      running = false;
      res({ code, signal });
    }),
  );
  const url = await onceMessage<string>(child, 'ready');
  const port = Number(new URL(url).port);
  return {
    child,
    exited,
    url,
    http: `http://127.0.0.1:${port}`,
    port,
    secret,
    token: tokenFn(secret),
    stderr: () => err,
    stdout: () => out,
    alive: () => running,
    async memory() {
      const reply = onceMessage<MemorySample>(child, 'mem');
      child.send('mem');
      return reply;
    },
    async close() {
      if (!running) return;
      child.send('stop');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** `semface serve ...` as a child process (the shipped entry point). */
export interface CliRelay {
  readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;
  /** Resolves with the relay URL once it prints it; rejects if the process exits first. */
  readonly listening: Promise<string>;
  stdout(): string;
  stderr(): string;
  alive(): boolean;
  close(): Promise<void>;
}

/** Runs `node packages/cli/dist/bin.js serve <args>`. */
export function startCliRelay(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRelay {
  const child = spawn(process.execPath, [CLI_BIN, 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, SEMFACE_TOKEN_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let running = true;
  const exited = new Promise<ChildExit>((res) =>
    child.once('exit', (code, signal) => {
      running = false;
      res({ code, signal });
    }),
  );
  const listening = new Promise<string>((res, rej) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) res(m[1]!);
    });
    void exited.then((e) => rej(new Error(`semface serve exited (${e.code ?? e.signal}): ${err.trim()}`)));
  });
  listening.catch(() => {});
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return {
    child,
    exited,
    listening,
    stdout: () => out,
    stderr: () => err,
    alive: () => running,
    async close() {
      if (!running) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** GET/POST helper that never throws on HTTP errors (JSON body in, text and parsed JSON out). */
export async function httpRequest(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}
