import { type Socket, connect as tcpConnect } from 'node:net';
import {
  type DecodedEnvelope,
  type IEnvelope,
  RelayErrorCode,
  decodeEnvelope,
  encodeEnvelope,
} from '@semface/protocol';
import WebSocket from 'ws';

/**
 * Protocol version the harness speaks: v1, every message one protobuf Envelope (relays keep
 * accepting it; v2 adds compact frames and bundles).
 */
export const WIRE_V1 = 1;

/** Error codes a relay may send (RelayErrorCode values). */
export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set(Object.values(RelayErrorCode));

/**
 * Close codes a hostile socket may see: the semface range 4000-4015 (4015 = connection limit),
 * 1009 (message over the hard limit, sent by `ws`), 1001 (relay shutting down), 1006 (cut without
 * a close frame: terminate() after a close, or a socket destroyed at the TCP level).
 */
export function isAllowedCloseCode(code: number): boolean {
  return (code >= 4000 && code <= 4015) || code === 1009 || code === 1001 || code === 1006 || code === 1000;
}

/** Bodies only counted when `keepMessages` is false. */
const HIGH_VOLUME: ReadonlySet<string> = new Set(['frame', 'peerJoined', 'peerLeft', 'keyFrameRequest']);

/** How a socket ended. */
export interface Closed {
  code: number;
  reason: string;
  /** Byte length of the close reason (RFC 6455: at most 123). */
  reasonBytes: number;
  at: number;
}

/**
 * A raw relay client that tolerates anything: records every message (undecodable ones are
 * counted, never thrown), the close code and the HTTP status of a refused upgrade.
 */
export class HostileSocket {
  readonly ws: WebSocket;
  readonly received: DecodedEnvelope[] = [];
  /** Messages from the relay that were not valid Envelopes (must stay 0). */
  undecodable = 0;
  /** Text messages from the relay (must stay 0). */
  textMessages = 0;
  readonly closed: Promise<Closed>;
  closedWith: Closed | undefined;
  participantId = '';
  #waiters: Array<() => void> = [];
  /** False: keep only counts of frames, peer events and key-frame requests (floods). */
  keepMessages = true;
  counts = new Map<string, number>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.textMessages++;
        return;
      }
      let env: DecodedEnvelope;
      try {
        env = decodeEnvelope(new Uint8Array(data));
      } catch {
        this.undecodable++;
        return;
      }
      this.counts.set(env.body, (this.counts.get(env.body) ?? 0) + 1);
      if (this.keepMessages || !HIGH_VOLUME.has(env.body)) this.received.push(env);
      this.#wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString(), reasonBytes: reason.length, at: Date.now() };
        resolve(this.closedWith);
        this.#wake();
      });
    });
    ws.on('error', () => {});
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Opens a socket; rejects with `{ status }` when the upgrade is refused over HTTP. */
  static open(url: string, opts: { localAddress?: string } = {}): Promise<HostileSocket> {
    const ws = new WebSocket(url, { perMessageDeflate: false, localAddress: opts.localAddress });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new HostileSocket(ws)));
      ws.once('unexpected-response', (_req, res) => {
        reject(
          Object.assign(new Error(`upgrade refused: HTTP ${res.statusCode}`), { status: res.statusCode }),
        );
        res.resume();
        ws.terminate();
      });
      ws.once('error', (err) => reject(err));
    });
  }

  /** Opens, says Hello and waits for Welcome (throws with the close if refused). */
  static async authenticated(
    url: string,
    token: string,
    client = 'hostile',
    version = WIRE_V1,
  ): Promise<HostileSocket> {
    const s = await HostileSocket.open(url);
    s.hello(token, client, version);
    const welcome = await s.next('welcome');
    if (!welcome) throw new Error(`hello refused: ${JSON.stringify(s.closedWith)} ${s.errorCodes().join()}`);
    s.participantId = welcome.welcome!.participantId!;
    return s;
  }

  /** Authenticated and joined to `room`. */
  static async joined(url: string, token: string, room: string, version = WIRE_V1): Promise<HostileSocket> {
    const s = await HostileSocket.authenticated(url, token, 'hostile', version);
    s.send({ join: { room } });
    if (!(await s.next('joined'))) throw new Error(`join refused: ${s.errorCodes().join()}`);
    return s;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  hello(token: string, client = 'hostile', version = WIRE_V1): void {
    this.send({ hello: { protocolVersion: version, token, client } });
  }

  send(env: IEnvelope): void {
    this.sendRaw(encodeEnvelope(env));
  }

  /** Sends bytes (binary) or a string (text message); a closed socket swallows it. */
  sendRaw(data: Uint8Array | string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** Resolves when the socket's write backlog drained (flow control for floods). */
  async drained(max = 256 * 1024): Promise<void> {
    while (this.open && this.ws.bufferedAmount > max) await new Promise((r) => setTimeout(r, 2));
  }

  /** Waits until `pred` holds; false on timeout or when the socket closed first. */
  async until(pred: () => boolean, timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0 || this.closedWith) return pred();
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  readonly #taken = new WeakSet<DecodedEnvelope>();

  /** Next not-yet-taken message of a kind; undefined on timeout / close. */
  async next(
    body: DecodedEnvelope['body'],
    pred: (e: DecodedEnvelope) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<DecodedEnvelope | undefined> {
    let found: DecodedEnvelope | undefined;
    await this.until(() => {
      found = this.received.find((e) => e.body === body && !this.#taken.has(e) && pred(e));
      return found !== undefined;
    }, timeoutMs);
    if (found) this.#taken.add(found);
    return found;
  }

  /** Ping round trip: true if the relay answered (it processed everything sent before). */
  async roundTrip(timeoutMs = 5_000): Promise<boolean> {
    const nonce = Math.floor(Math.random() * 2 ** 31);
    this.send({ ping: { nonce } });
    return (await this.next('pong', (e) => Number(e.pong!.nonce) === nonce, timeoutMs)) !== undefined;
  }

  all(body: DecodedEnvelope['body']): DecodedEnvelope[] {
    return this.received.filter((e) => e.body === body);
  }

  errorCodes(): string[] {
    return this.all('error').map((e) => e.error!.code!);
  }

  /** Waits for the close (or times out with undefined). */
  async waitClosed(timeoutMs = 5_000): Promise<Closed | undefined> {
    if (this.closedWith) return this.closedWith;
    return Promise.race([this.closed, new Promise<undefined>((r) => setTimeout(r, timeoutMs))]);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(1000);
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** A plain TCP socket to the relay's HTTP port (slowloris, header fuzzing). */
export interface RawTcp {
  readonly socket: Socket;
  /** Everything the server sent (latin1). */
  data(): string;
  /** Resolves when the server (or we) closed the connection; `at` = Date.now(). */
  readonly ended: Promise<{ at: number; byServer: boolean }>;
  write(s: string | Uint8Array): void;
  destroy(): void;
}

export function openTcp(port: number, host = '127.0.0.1'): Promise<RawTcp> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ port, host });
    let buf = '';
    let destroyedByUs = false;
    socket.on('data', (d) => {
      if (buf.length < 64 * 1024) buf += d.toString('latin1');
    });
    const ended = new Promise<{ at: number; byServer: boolean }>((res) =>
      socket.once('close', () => res({ at: Date.now(), byServer: !destroyedByUs })),
    );
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        data: () => buf,
        ended,
        write: (s) => {
          if (!socket.destroyed) socket.write(s);
        },
        destroy: () => {
          destroyedByUs = true;
          socket.destroy();
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** A valid WebSocket upgrade request for `path`. */
export function upgradeRequest(path = '/v1/relay'): string {
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
}
