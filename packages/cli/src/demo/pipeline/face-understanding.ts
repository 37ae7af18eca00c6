import { EventEmitter } from 'node:events';
import {
  ReceiverHeads,
  type Room,
  SemfaceSdkError,
  type Understanding,
  type VerifyResult,
  understandingHead,
  vectorDistance,
} from '@semface/sdk';

/** What the receiver heads said about one decoded descriptor. */
export interface UnderstandingResult {
  readonly seq: number;
  readonly participantId: string;
  /** Most probable FER2013 expression and its probability (frames carrying the expression fields). */
  readonly expression?: { readonly label: string; readonly probability: number };
  /** Current face against the first face seen from this participant (frames carrying the identity fields). */
  readonly verification?: VerifyResult;
}

/** Events of {@link FaceUnderstanding}. */
export interface FaceUnderstandingEvents {
  result: [result: UnderstandingResult];
  headError: [err: Error];
}

/** Loaded heads, or why there are none. */
export type HeadsLoad =
  | { readonly heads: ReceiverHeads; readonly reason?: undefined }
  | { readonly heads?: undefined; readonly reason: string };

/**
 * Loads the SDK receiver heads (sessions created once). Missing or unusable models are not fatal:
 * the demo runs without them and says why.
 */
export async function loadReceiverHeads(modelsDir: string | undefined): Promise<HeadsLoad> {
  try {
    return { heads: await ReceiverHeads.load(modelsDir === undefined ? {} : { modelsDir }) };
  } catch (err) {
    if (err instanceof SemfaceSdkError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { reason: (err as Error).message };
    }
    throw err;
  }
}

/**
 * Runs the receiver heads on the room's decoded descriptors through the SDK's `understandingHead`
 * (inference off the descriptor event path; a busy head skips to the newest frame) and compares each
 * identity against the first one seen from the same participant.
 */
export class FaceUnderstanding extends EventEmitter<FaceUnderstandingEvents> {
  readonly #reference = new Map<string, Float32Array>();
  readonly #detach: () => void;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(
    room: Room,
    private readonly heads: ReceiverHeads,
  ) {
    super();
    // Inference the head started must end before the sessions are released.
    const tracked = new Proxy(heads, {
      get: (target, key) => {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const out: unknown = value.apply(target, args);
          if (out instanceof Promise) {
            this.#inFlight.add(out);
            const forget = () => this.#inFlight.delete(out);
            out.then(forget, forget);
          }
          return out;
        };
      },
    });
    this.#detach = room.attachHead(
      understandingHead(
        tracked,
        (u) => this.#handle(u),
        (err) => this.emit('headError', err as Error),
      ),
    );
  }

  #handle(u: Understanding): void {
    const participantId = u.event.participantId;
    let verification: VerifyResult | undefined;
    if (u.verificationVector) {
      const ref = this.#reference.get(participantId);
      if (!ref) this.#reference.set(participantId, u.verificationVector);
      const distance = ref ? vectorDistance(ref, u.verificationVector) : 0;
      const threshold = this.heads.threshold;
      verification = { same: distance < threshold, distance, threshold };
    }
    const e = u.expression;
    const probability = e ? Math.max(...e.probabilities) : 0;
    this.emit('result', {
      seq: u.event.seq,
      participantId,
      ...(e ? { expression: { label: e.label, probability } } : {}),
      ...(verification ? { verification } : {}),
    });
  }

  /** Detaches from the room, waits for running inference and releases the ONNX sessions. */
  async close(): Promise<void> {
    this.#detach();
    await Promise.allSettled([...this.#inFlight]);
    await this.heads.dispose();
  }
}
