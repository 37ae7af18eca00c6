import type { SemfaceSdkError } from '../errors.js';
import { BridgeError } from '../errors.js';
import type { DescriptorEvent } from '../room/events.js';
import { FaceRig, type FaceRigOptions, type RigFrame } from './face-rig.js';
import { type OscTarget, OscUdpSender } from './osc-udp.js';
import { type VmcOptions, resolveVmcOptions, vmcMessages } from './vmc.js';
import { VRCHAT_V2_PREFIX, vrchatMessages } from './vrchat.js';

/** Options of {@link AvatarBridge}. */
export interface AvatarBridgeOptions {
  /** VMC receiver (VSeeFace, VNyan, Warudo...; VMC's default port is 39539). */
  readonly vmc?: OscTarget;
  /** VRChat OSC input (default 127.0.0.1:9000). */
  readonly vrchat?: OscTarget;
  /** Follow this publisher identity; default: the first publisher heard (VMC/VRChat drive one avatar). */
  readonly identity?: string;
  readonly rig?: Partial<FaceRigOptions>;
  readonly vmcOptions?: Partial<VmcOptions>;
  /** VRChat address prefix (default `/avatar/parameters/v2/`). */
  readonly vrchatPrefix?: string;
  /** Send failures (the bridge keeps running). */
  readonly onError?: (err: SemfaceSdkError) => void;
  /** Each frame after it was sent (for logs and tests). */
  readonly onFrame?: (frame: RigFrame, ev: DescriptorEvent) => void;
}

/** Anything that emits descriptor events (a `Room`). */
export interface DescriptorSource {
  on(event: 'descriptor', listener: (ev: DescriptorEvent) => void): () => void;
}

/**
 * Forwards a room's decoded descriptors to avatar apps: VMC protocol and/or VRChat OSC over UDP, one
 * rig per tracked face. Node only (UDP). Frames that arrive while the previous one is still being sent
 * are dropped except the newest, so a slow receiver adds no latency.
 */
export class AvatarBridge {
  /** Frames sent. */
  sent = 0;
  /** Frames dropped because a send was still in flight. */
  dropped = 0;
  private readonly options: AvatarBridgeOptions;
  private readonly vmcOptions: VmcOptions;
  private readonly vmc: OscUdpSender | undefined;
  private readonly vrchat: OscUdpSender | undefined;
  private readonly rig: FaceRig;
  private following: string | undefined;
  private busy = false;
  private pending: DescriptorEvent | undefined;
  private readonly off: () => void;
  private readonly startedAt = Date.now();

  private constructor(
    source: DescriptorSource,
    options: AvatarBridgeOptions,
    vmc: OscUdpSender | undefined,
    vrchat: OscUdpSender | undefined,
  ) {
    this.options = options;
    this.vmcOptions = resolveVmcOptions(options.vmcOptions);
    this.vmc = vmc;
    this.vrchat = vrchat;
    this.rig = new FaceRig(options.rig);
    this.following = undefined;
    this.off = source.on('descriptor', (ev) => this.onDescriptor(ev));
  }

  /** Opens the UDP senders and starts forwarding `source`'s descriptors. */
  static async open(source: DescriptorSource, options: AvatarBridgeOptions): Promise<AvatarBridge> {
    if (!options.vmc && !options.vrchat) throw new TypeError('give at least one of vmc, vrchat');
    const vmc = options.vmc ? await OscUdpSender.open(options.vmc) : undefined;
    const vrchat = options.vrchat ? await OscUdpSender.open(options.vrchat) : undefined;
    return new AvatarBridge(source, options, vmc, vrchat);
  }

  private onDescriptor(ev: DescriptorEvent): void {
    const want = this.options.identity;
    if (
      want !== undefined
        ? ev.identity !== want
        : this.following !== undefined && ev.participantId !== this.following
    ) {
      return;
    }
    if (this.following !== ev.participantId) {
      // A new face (or the same one reconnected with a new id): start its rig afresh.
      this.following = ev.participantId;
      this.rig.reset();
    }
    if (this.busy) {
      if (this.pending) this.dropped++;
      this.pending = ev;
      return;
    }
    void this.forward(ev);
  }

  private async forward(ev: DescriptorEvent): Promise<void> {
    this.busy = true;
    try {
      const frame = this.rig.solve(ev.descriptor);
      const t = (Date.now() - this.startedAt) / 1000;
      const range = (this.rig.options.gazeRangeDeg * Math.PI) / 180;
      await Promise.all([
        this.vmc?.send(vmcMessages(frame, t, this.vmcOptions), true),
        this.vrchat?.send(vrchatMessages(frame, range, this.options.vrchatPrefix ?? VRCHAT_V2_PREFIX), false),
      ]);
      this.sent++;
      this.options.onFrame?.(frame, ev);
    } catch (err) {
      this.options.onError?.(
        err instanceof BridgeError ? err : new BridgeError('bridge frame failed', { cause: err }),
      );
    } finally {
      this.busy = false;
      const next = this.pending;
      this.pending = undefined;
      if (next) void this.forward(next);
    }
  }

  /** Stops forwarding and closes the sockets. */
  async close(): Promise<void> {
    this.off();
    this.pending = undefined;
    await Promise.all([this.vmc?.close(), this.vrchat?.close()]);
  }
}
