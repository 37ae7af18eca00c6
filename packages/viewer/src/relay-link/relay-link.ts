import { EventEmitter } from 'node:events';
import {
  type DecodedEnvelope,
  FrameKind,
  type IEnvelope,
  PROTOCOL_VERSION,
  RELAY_PATH,
  decodeEnvelope,
  encodeEnvelope,
  type semface,
} from '@semface/protocol';
import WebSocket from 'ws';
import { DemoRelayError } from '../errors.js';

/** One frame to publish. */
export interface OutgoingFrame {
  readonly seq: number;
  readonly captureTimeUs: number;
  readonly keyFrame: boolean;
  readonly profile: number;
  readonly modelId: string;
  readonly payload: Uint8Array;
}

/** Events of {@link RelayLink}. */
export interface RelayLinkEvents {
  frame: [frame: semface.v1.IFrame];
  keyFrameRequest: [];
  close: [code: number];
}

/**
 * A minimal relay client (Hello, Join, Frame, KeyFrameRequest) for the demo's in-process sender
 * and receiver. The demo moves to @semface/sdk once that package publishes its client.
 */
export class RelayLink extends EventEmitter<RelayLinkEvents> {
  #participantId = '';

  private constructor(private readonly ws: WebSocket) {
    super();
  }

  /** Participant id the relay assigned. */
  get participantId(): string {
    return this.#participantId;
  }

  /** Connects to `url` (http(s)/ws(s) base URL of the relay), authenticates and joins `room`. */
  static async connect(url: string, token: string, room: string): Promise<RelayLink> {
    const base = url.replace(/^http/, 'ws').replace(/\/+$/, '');
    const target = base.endsWith(RELAY_PATH) ? base : `${base}${RELAY_PATH}`;
    const ws = new WebSocket(target, { perMessageDeflate: false });
    const link = new RelayLink(ws);
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) =>
        reject(new DemoRelayError(`relay ${target}: ${err.message}`, { cause: err }));
      ws.once('error', fail);
      ws.once('open', () => {
        ws.off('error', fail);
        resolve();
      });
    });
    const joined = new Promise<void>((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        const env = decodeEnvelope(data as Buffer);
        if (env.body === 'welcome') link.#participantId = env.welcome!.participantId ?? '';
        else if (env.body === 'joined') {
          ws.off('message', onMessage);
          ws.off('close', onClose);
          link.#listen();
          resolve();
        } else if (env.body === 'error') {
          reject(new DemoRelayError(`relay refused: ${env.error!.code} ${env.error!.message}`));
        }
      };
      const onClose = (code: number) => reject(new DemoRelayError(`relay closed the link (${code})`));
      ws.on('message', onMessage);
      ws.once('close', onClose);
    });
    link.#send({ hello: { protocolVersion: PROTOCOL_VERSION, token, client: 'semface-demo' } });
    link.#send({ join: { room } });
    await joined;
    return link;
  }

  #listen(): void {
    this.ws.on('message', (data) => {
      let env: DecodedEnvelope;
      try {
        env = decodeEnvelope(data as Buffer);
      } catch {
        return;
      }
      if (env.body === 'frame') this.emit('frame', env.frame!);
      else if (env.body === 'keyFrameRequest') this.emit('keyFrameRequest');
      else if (env.body === 'ping')
        this.#send({ pong: { nonce: env.ping!.nonce, sentTimeUs: env.ping!.sentTimeUs } });
    });
    this.ws.on('close', (code) => this.emit('close', code));
  }

  /** Publishes one coded frame (stream 0). */
  publish(f: OutgoingFrame): void {
    this.#send({
      frame: {
        stream: 0,
        seq: f.seq,
        captureTimeUs: f.captureTimeUs,
        kind: f.keyFrame ? FrameKind.key : FrameKind.delta,
        profile: f.profile,
        modelId: f.modelId,
        payload: f.payload,
      },
    });
  }

  /** Asks `participantId` for a key frame on stream 0. */
  requestKeyFrame(participantId: string): void {
    this.#send({ keyFrameRequest: { participantId, stream: 0 } });
  }

  /** Closes the socket and waits for it to close. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close(1000);
    await closed;
  }

  #send(env: IEnvelope): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeEnvelope(env));
  }
}
