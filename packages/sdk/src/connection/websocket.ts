/**
 * The part of the WHATWG WebSocket API the SDK uses. Browsers' `WebSocket` and the `ws` package's
 * `WebSocket` both satisfy it.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/** A WebSocket constructor (`globalThis.WebSocket`, or `WebSocket` from the `ws` package). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` value of an open socket (same in browsers and `ws`). */
export const WS_OPEN = 1;

/**
 * The WebSocket implementation to use: the given one, else `globalThis.WebSocket`, else the `ws`
 * package (Node), loaded on demand so browser bundles never include it.
 */
export async function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) return given;
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof native === 'function') return native;
  // A variable specifier keeps bundlers from resolving `ws` for browser builds.
  const specifier = 'ws';
  const mod = (await import(/* @vite-ignore */ specifier)) as {
    default?: WebSocketConstructor;
    WebSocket?: WebSocketConstructor;
  };
  const ctor = mod.WebSocket ?? mod.default;
  if (typeof ctor !== 'function') throw new TypeError('no WebSocket implementation: pass options.WebSocket');
  return ctor;
}

/** Bytes of a binary message event (`ArrayBuffer`, a view, or Node's Buffer); undefined for text. */
export function messageBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
