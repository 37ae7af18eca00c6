import {
  type DecodedEnvelope,
  type EnvelopeBody,
  type IEnvelope,
  RELAY_ERROR_CLOSE_CODE,
  RelayErrorCode,
  type RelayErrorName,
  decodeEnvelope,
  encodeEnvelope,
} from '@semface/protocol';
import { ConnectError, ProtocolError, RelayError } from '../errors.js';
import { abortable } from './abortable.js';
import { WireV2, packBundle } from './wire-v2.js';
import { WS_OPEN, type WebSocketConstructor, type WebSocketLike, messageBytes } from './websocket.js';

/** How a socket closed. */
export interface CloseInfo {
  /** WebSocket close code (1006 when the link broke without a close frame). */
  readonly code: number;
  readonly reason: string;
  /** The relay's error for semface close codes (4000-4999), else undefined. */
  readonly relayError: RelayError | undefined;
}

const RELAY_CODE_BY_CLOSE = new Map<number, string>(
  (Object.keys(RELAY_ERROR_CLOSE_CODE) as RelayErrorName[]).map((name) => [
    RELAY_ERROR_CLOSE_CODE[name],
    RelayErrorCode[name],
  ]),
);

interface Waiter {
  readonly bodies: readonly EnvelopeBody[];
  resolve(env: DecodedEnvelope): void;
  reject(err: unknown): void;
}

/**
 * One WebSocket link to the relay speaking semface envelopes. Handshake steps await specific
 * answers with {@link next}; everything else goes to {@link onEnvelope}.
 */
export class RelaySocket {
  readonly #ws: WebSocketLike;
  #waiter: Waiter | undefined;
  #closingError: RelayError | undefined;
  #closed: CloseInfo | undefined;
  /** Time of the last message from the relay (`performance.now()` clock). */
  lastMessageAt = performance.now();
  /** Steady-state handler of envelopes no handshake step is waiting for. */
  onEnvelope: (env: DecodedEnvelope) => void = () => {};
  /** Called once when the socket closes. */
  onClose: (info: CloseInfo) => void = () => {};
  /** Called for messages that are not valid envelopes. */
  onProtocolError: (err: ProtocolError) => void = () => {};
  #wire: WireV2 | undefined;
  #bundleMs = 0;
  #pending: Uint8Array[] = [];
  #bundleTimer: ReturnType<typeof setInterval> | undefined;
  /** Bytes handed to the WebSocket (application level, WebSocket and TCP/IP headers not included). */
  bytesSent = 0;
  /** Bytes received in WebSocket messages (application level). */
  bytesReceived = 0;

  private constructor(ws: WebSocketLike) {
    this.#ws = ws;
    ws.addEventListener('message', (ev) => this.#onMessage(ev.data));
    ws.addEventListener('close', (ev) => this.#onClose(ev.code, ev.reason));
  }

  /**
   * Opens a socket to `url`.
   * @throws ConnectError if it fails to open, AbortedError / TimeoutError per `limits`.
   */
  static async open(
    WebSocketImpl: WebSocketConstructor,
    url: string,
    limits: { signal?: AbortSignal | undefined; timeoutMs: number },
  ): Promise<RelaySocket> {
    let ws: WebSocketLike;
    try {
      ws = new WebSocketImpl(url);
    } catch (err) {
      throw new ConnectError(`cannot open ${url}: ${(err as Error).message}`, 0, { cause: err });
    }
    ws.binaryType = 'arraybuffer';
    try {
      await abortable<void>(
        (resolve, reject) => {
          ws.addEventListener('open', () => resolve());
          ws.addEventListener('error', (ev) =>
            reject(new ConnectError(`cannot connect to ${url}`, 1006, { cause: ev })),
          );
          ws.addEventListener('close', (ev) =>
            reject(new ConnectError(`socket to ${url} closed before opening (${ev.code})`, ev.code)),
          );
          return undefined;
        },
        { signal: limits.signal, timeoutMs: limits.timeoutMs, what: `opening ${url}` },
      );
    } catch (err) {
      try {
        ws.close();
      } catch {
        // Closing a socket that never opened may throw in some implementations; it is gone either way.
      }
      throw err;
    }
    return new RelaySocket(ws);
  }

  /** True while the socket is open. */
  get isOpen(): boolean {
    return this.#closed === undefined && this.#ws.readyState === WS_OPEN;
  }

  /** Bytes queued in the socket but not yet sent. */
  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  /**
   * Switches to protocol v2 after a Welcome that agreed on it: frames go out as compact frames
   * (bundled every `bundleIntervalMs` when > 0) and compact frames, bundles and Track messages
   * from the relay come back to `onEnvelope` as plain `Frame` envelopes.
   */
  useProtocolV2(opts: { maxTracks: number; relayNowMs: () => number; bundleIntervalMs: number }): void {
    this.#wire = new WireV2({ maxTracks: opts.maxTracks }, opts.relayNowMs);
    this.#bundleMs = opts.bundleIntervalMs;
    if (this.#bundleMs > 0) {
      this.#bundleTimer = setInterval(() => this.#flush(), this.#bundleMs);
      (this.#bundleTimer as { unref?: () => void }).unref?.();
    }
  }

  /** The protocol version in use on this socket. */
  get protocolVersion(): 1 | 2 {
    return this.#wire ? 2 : 1;
  }

  /** Sends one envelope; false (nothing sent) when the socket is not open. */
  send(envelope: IEnvelope): boolean {
    if (!this.isOpen) return false;
    if (!this.#wire) {
      this.#write(encodeEnvelope(envelope));
      return true;
    }
    const messages = this.#wire.encode(envelope);
    if (this.#bundleMs > 0 && envelope.frame) {
      this.#pending.push(...messages);
      return true;
    }
    // Control messages leave at once, after any frames waiting for the bundle (order is kept).
    this.#flush();
    for (const m of messages) this.#write(m);
    return true;
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const list = this.#pending;
    this.#pending = [];
    if (this.isOpen) this.#write(packBundle(list));
  }

  #write(bytes: Uint8Array): void {
    this.bytesSent += bytes.length;
    this.#ws.send(bytes);
  }

  /**
   * The next envelope with one of `bodies`. Rejects with RelayError when the relay answers with an
   * Error, ConnectError/RelayError when the socket closes, or per `limits`.
   */
  next(
    bodies: readonly EnvelopeBody[],
    limits: { signal?: AbortSignal | undefined; timeoutMs: number; what: string },
  ): Promise<DecodedEnvelope> {
    return abortable<DecodedEnvelope>((resolve, reject) => {
      if (this.#closed) {
        reject(this.#closeError(this.#closed));
        return undefined;
      }
      const waiter: Waiter = { bodies, resolve, reject };
      this.#waiter = waiter;
      return () => {
        if (this.#waiter === waiter) this.#waiter = undefined;
      };
    }, limits);
  }

  /** Closes the socket (idempotent). `onClose` still runs when the close completes. */
  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
    try {
      this.#ws.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  /**
   * Stops delivering anything from this socket and closes it: used when the link is given up
   * (idle timeout, dispose), so late events of the old socket cannot reach the room.
   */
  abandon(code = 1000, reason = ''): void {
    clearInterval(this.#bundleTimer);
    this.onEnvelope = () => {};
    this.onClose = () => {};
    this.onProtocolError = () => {};
    this.close(code, reason);
  }

  #onMessage(data: unknown): void {
    this.lastMessageAt = performance.now();
    const bytes = messageBytes(data);
    if (!bytes) {
      this.onProtocolError(new ProtocolError('relay sent a text message'));
      return;
    }
    this.bytesReceived += bytes.length;
    if (this.#wire) {
      let envs: DecodedEnvelope[];
      try {
        envs = this.#wire.decode(bytes);
      } catch (err) {
        this.onProtocolError(new ProtocolError('relay sent an invalid v2 message', { cause: err }));
        return;
      }
      for (const env of envs) this.#onEnvelope(env);
      return;
    }
    let env: DecodedEnvelope;
    try {
      env = decodeEnvelope(bytes);
    } catch (err) {
      this.onProtocolError(new ProtocolError('relay sent an invalid envelope', { cause: err }));
      return;
    }
    this.#onEnvelope(env);
  }

  #onEnvelope(env: DecodedEnvelope): void {
    if (env.body === 'error') {
      const e = env.error!;
      const relayError = new RelayError(e.code ?? '', e.closeCode ?? 0, e.message ?? '');
      if (relayError.closeCode !== 0) this.#closingError = relayError;
      const waiter = this.#waiter;
      if (waiter) {
        this.#waiter = undefined;
        waiter.reject(relayError);
        return;
      }
    }
    const waiter = this.#waiter;
    if (waiter?.bodies.includes(env.body)) {
      this.#waiter = undefined;
      waiter.resolve(env);
      return;
    }
    this.onEnvelope(env);
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    clearInterval(this.#bundleTimer);
    let relayError = this.#closingError;
    if (!relayError && code >= 4000 && code <= 4999) {
      relayError = new RelayError(RELAY_CODE_BY_CLOSE.get(code) ?? '', code, reason);
    }
    const info: CloseInfo = { code, reason, relayError };
    this.#closed = info;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(this.#closeError(info));
    this.onClose(info);
  }

  #closeError(info: CloseInfo): Error {
    return info.relayError ?? new ConnectError(`relay closed the connection (${info.code})`, info.code);
  }
}
