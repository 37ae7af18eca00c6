import {
  type DecodedEnvelope,
  type EnvelopeBody,
  FrameKind,
  type IEnvelope,
  type IFrame,
  decodeEnvelope,
  encodeEnvelope,
} from '@semface/protocol';
import WebSocket from 'ws';

/** Minimal relay client for tests: raw `ws` + the generated protocol (the SDK comes later). */
export class TestClient {
  readonly ws: WebSocket;
  readonly received: DecodedEnvelope[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  participantId = '';
  #waiters: Array<() => void> = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      this.received.push(decodeEnvelope(new Uint8Array(data)));
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const w of this.#waiters.splice(0)) w();
      });
    });
    ws.on('error', () => {});
  }

  static async open(url: string): Promise<TestClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestClient(ws);
  }

  /** Opens, authenticates and joins `room`. */
  static async joined(url: string, token: string, room: string): Promise<TestClient> {
    const c = await TestClient.open(url);
    await c.hello(token);
    c.send({ join: { room } });
    await c.next('joined');
    return c;
  }

  send(env: IEnvelope): void {
    this.ws.send(encodeEnvelope(env));
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  /** Says Hello as a v1 client (every frame a protobuf Envelope), which the relay still serves. */
  async hello(token: string): Promise<DecodedEnvelope> {
    this.send({ hello: { protocolVersion: 1, token, client: 'test' } });
    const w = await this.next('welcome');
    this.participantId = w.welcome!.participantId!;
    return w;
  }

  frame(f: IFrame): void {
    this.send({
      frame: { kind: FrameKind.delta, profile: 1, modelId: 'test', payload: new Uint8Array([1]), ...f },
    });
  }

  /** Received messages of one kind. */
  all(body: EnvelopeBody): DecodedEnvelope[] {
    return this.received.filter((e) => e.body === body);
  }

  /** Waits until `pred` holds over the received list; rejects after `timeoutMs`. */
  async until(pred: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the first message of a kind (matching `pred`) not yet consumed by next(). */
  async next(body: EnvelopeBody, pred: (e: DecodedEnvelope) => boolean = () => true, timeoutMs = 5_000) {
    let found: DecodedEnvelope | undefined;
    await this.until(
      () => {
        found = this.received.find((e) => e.body === body && !this.#taken.has(e) && pred(e));
        return found !== undefined;
      },
      body,
      timeoutMs,
    );
    this.#taken.add(found!);
    return found!;
  }

  readonly #taken = new WeakSet<DecodedEnvelope>();

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(1000);
  }
}
