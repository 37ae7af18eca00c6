import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { type BinaryMessage, PUBLIC_DIR, decodeBinaryMessage } from '@semface/viewer';

/** WebSocket path of the viewer page's live feed. */
export const VIEWER_WS_PATH = '/ws';

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
});

/** Events of {@link ViewerServer}. */
export interface ViewerServerEvents {
  /** A page connected; `send` talks to that page only. */
  connect: [send: (message: string | Uint8Array) => void];
  json: [message: Record<string, unknown>];
  binary: [message: BinaryMessage];
}

/** A page whose socket backlog is above this many bytes skips binary frames (latest wins). */
const MAX_BACKLOG_BYTES = 1 << 20;

/**
 * Serves the viewer page (static files from public/) and its live WebSocket feed. Plain node
 * http: the page is a handful of ES modules, no bundler or framework needed.
 */
export class ViewerServer extends EventEmitter<ViewerServerEvents> {
  readonly #http: Server;
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 4 << 20 });
  readonly #pages = new Set<WebSocket>();
  readonly #mounts: { readonly prefix: string; readonly dir: string }[] = [];

  constructor() {
    super();
    this.#http = createServer((req, res) => void this.#serve(req, res));
    this.#http.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== VIEWER_WS_PATH) {
        socket.destroy();
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
    });
  }

  /**
   * Serves the files of `dir` under the URL path `prefix` (e.g. `/ort/`), with the same rules as the
   * page's own files (GET only, known file types, no `..`). Used for the models and onnxruntime-web's
   * wasm files of the page's own decoder; nothing comes from a CDN.
   */
  mount(prefix: string, dir: string): void {
    if (!prefix.startsWith('/') || !prefix.endsWith('/'))
      throw new RangeError('prefix must start and end with /');
    this.#mounts.push({ prefix, dir });
  }

  /** Pages connected now. */
  get pageCount(): number {
    return this.#pages.size;
  }

  /** Listens; resolves to the page URL. */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, () => {
        this.#http.off('error', reject);
        resolve();
      });
    });
    const addr = this.#http.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    return `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`;
  }

  /** Sends a JSON message to every page. */
  broadcastJson(message: Record<string, unknown>): void {
    const text = JSON.stringify(message);
    for (const ws of this.#pages) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  /** Sends a binary message to every page that is keeping up. */
  broadcastBinary(bytes: Uint8Array): void {
    for (const ws of this.#pages) {
      if (ws.readyState === ws.OPEN && ws.bufferedAmount < MAX_BACKLOG_BYTES) ws.send(bytes);
    }
  }

  async close(): Promise<void> {
    for (const ws of this.#pages) ws.terminate();
    this.#wss.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #accept(ws: WebSocket): void {
    this.#pages.add(ws);
    ws.on('close', () => this.#pages.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      try {
        if (isBinary) this.emit('binary', decodeBinaryMessage(new Uint8Array(data as Buffer)));
        else {
          const msg = JSON.parse(String(data)) as unknown;
          if (typeof msg === 'object' && msg !== null && !Array.isArray(msg)) {
            this.emit('json', msg as Record<string, unknown>);
          }
        }
      } catch {
        // A malformed message from a page costs that message only.
      }
    });
    this.emit('connect', (m) => {
      if (ws.readyState === ws.OPEN) ws.send(m);
    });
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const mount = this.#mounts.find((m) => path.startsWith(m.prefix));
    const base = mount?.dir ?? PUBLIC_DIR;
    const local = mount ? path.slice(mount.prefix.length - 1) : path;
    const rel = normalize(local === '/' ? 'index.html' : decodeURIComponent(local).slice(1));
    const type = CONTENT_TYPES[extname(rel)];
    if (req.method !== 'GET' || rel.startsWith('..') || rel.includes('\0') || !type) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(join(base, rel));
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  }
}
