import { BridgeError } from '../errors.js';
import type { OscArg, OscMessage } from './osc-message.js';

/** Where OSC packets go. */
export interface OscTarget {
  readonly host: string;
  /** UDP port, 1-65535. */
  readonly port: number;
}

/** Parses `host:port` (IPv6 as `[::1]:9000`); RangeError for a bad port, TypeError for a bad form. */
export function parseOscTarget(text: string): OscTarget {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.trim());
  if (!m) throw new TypeError(`expected host:port, got '${text}'`);
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new RangeError(`port must be 1-65535, got ${m[3]}`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Largest bundle sent in one datagram, bytes: below a 1500-byte Ethernet MTU, so no IP fragments. */
export const MAX_BUNDLE_BYTES = 1400;

type NodeOsc = typeof import('node-osc');
type OscClient = InstanceType<NodeOsc['Client']>;

/**
 * Sends OSC over UDP with `node-osc` (Node only; loaded on first use so the rig modules stay
 * browser-safe). Bundles are split so each datagram stays under {@link MAX_BUNDLE_BYTES}.
 */
export class OscUdpSender {
  readonly target: OscTarget;
  private readonly osc: NodeOsc;
  private readonly client: OscClient;
  private closed = false;

  private constructor(target: OscTarget, osc: NodeOsc, client: OscClient) {
    this.target = target;
    this.osc = osc;
    this.client = client;
  }

  /** Opens a UDP socket toward `target`. */
  static async open(target: OscTarget): Promise<OscUdpSender> {
    let osc: NodeOsc;
    try {
      osc = await import('node-osc');
    } catch (err) {
      throw new BridgeError('the OSC bridge needs the node-osc package (Node only)', { cause: err });
    }
    const client = new osc.Client(target.host, target.port);
    return new OscUdpSender(target, osc, client);
  }

  private message(m: OscMessage): InstanceType<NodeOsc['Message']> {
    const msg = new this.osc.Message(m.address);
    for (const a of m.args as readonly OscArg[]) msg.append({ type: a.type, value: a.value });
    return msg;
  }

  /** A bundle with time tag 0 = "immediately". */
  private bundle(messages: readonly InstanceType<NodeOsc['Message']>[]): InstanceType<NodeOsc['Bundle']> {
    const b = new this.osc.Bundle(0);
    for (const m of messages) b.append(m);
    return b;
  }

  /**
   * Sends `messages`: one datagram each (`bundle: false`, what VRChat expects), or OSC bundles
   * (immediate time tag) of as many messages as fit (`bundle: true`, what VMC senders do).
   */
  async send(messages: readonly OscMessage[], bundle: boolean): Promise<void> {
    if (this.closed) throw new BridgeError('OSC sender is closed');
    try {
      if (!bundle) {
        for (const m of messages) await this.client.send(this.message(m));
        return;
      }
      let chunk: InstanceType<NodeOsc['Message']>[] = [];
      let size = 16; // "#bundle\0" + time tag
      for (const m of messages) {
        const msg = this.message(m);
        const bytes = this.osc.encode(msg).length + 4;
        if (chunk.length > 0 && size + bytes > MAX_BUNDLE_BYTES) {
          await this.client.send(this.bundle(chunk));
          chunk = [];
          size = 16;
        }
        chunk.push(msg);
        size += bytes;
      }
      if (chunk.length > 0) await this.client.send(this.bundle(chunk));
    } catch (err) {
      throw new BridgeError(`OSC send to ${this.target.host}:${this.target.port} failed`, { cause: err });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }
}
