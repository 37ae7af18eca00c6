import {
  type DescriptorEvent,
  type Room,
  connect,
  loadBrowserCodec,
  ReceiverHeads,
  onnxWebRuntime,
  understandingHead,
  vectorDistance,
} from '@semface/sdk/browser';
import { FACE_MODEL_FILES, FaceModel, FaceModelError } from '@semface/face-model';
import { BrowserDecodeError } from '../errors.js';
import { type AvatarMesh, avatarMeshFromDescriptor } from './avatar-mesh.js';

/** Where the page finds the relay and the models (the demo server sends this in its `hello`). */
export interface BrowserDecodeConfig {
  /** Relay WebSocket URL. */
  readonly relayUrl: string;
  /** Subscribe token for the room. */
  readonly token: string;
  readonly room: string;
  /** Codec models folder URL. */
  readonly codecModelsUrl: string;
  /** Receiver heads folder URL; absent = no heads. */
  readonly headsModelsUrl?: string;
  /** Face model folder URL (face-model.json + face-model.bin). */
  readonly faceModelUrl: string;
  /** URL prefix of onnxruntime-web's wasm files. */
  readonly wasmUrl: string;
}

/** One frame decoded and meshed in the page. */
export interface BrowserAvatar extends AvatarMesh {
  readonly seq: number;
  readonly kind: DescriptorEvent['kind'];
  readonly bits: number;
  readonly descriptor: Float32Array;
  /** Bitstream decode (entropy decoding + ONNX synthesis) time, ms. */
  readonly decodeMs: number;
  /** Mesh building time, ms. */
  readonly meshMs: number;
  /** Capture -> decoded in this page, ms (relay clock, from the SDK's descriptor event). */
  readonly latencyMs: number;
}

/** What the page's heads said about one frame. */
export interface BrowserUnderstanding {
  readonly seq: number;
  /** Inference time of the heads on this frame, ms. */
  readonly headsMs: number;
  readonly expression?: { readonly label: string; readonly probability: number };
  readonly verification?: { readonly same: boolean; readonly distance: number; readonly threshold: number };
}

/** Callbacks of {@link startBrowserDecode}. */
export interface BrowserDecodeHandlers {
  avatar(a: BrowserAvatar): void;
  understanding?(u: BrowserUnderstanding): void;
  error?(err: Error): void;
}

/** A running in-page receiver. */
export interface BrowserDecoder {
  readonly room: Room;
  readonly heads: boolean;
  close(): void;
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new BrowserDecodeError(`cannot fetch ${url}: HTTP ${res.status}`);
  return res;
}

async function loadFaceModel(base: string): Promise<FaceModel> {
  const dir = base.endsWith('/') ? base : `${base}/`;
  const [json, bin] = await Promise.all([
    fetchOk(`${dir}${FACE_MODEL_FILES.header}`).then((r) => r.json()),
    fetchOk(`${dir}${FACE_MODEL_FILES.blob}`).then((r) => r.arrayBuffer()),
  ]);
  try {
    return FaceModel.decode(json, new Uint8Array(bin));
  } catch (err) {
    throw err instanceof FaceModelError ? new BrowserDecodeError(err.message, { cause: err }) : err;
  }
}

/**
 * The page's own receiver: joins the relay room with `@semface/sdk/browser`, decodes the codec
 * bitstream with onnxruntime-web, runs the receiver heads, and builds the avatar mesh of every frame.
 */
export async function startBrowserDecode(
  config: BrowserDecodeConfig,
  on: BrowserDecodeHandlers,
): Promise<BrowserDecoder> {
  const runtime = onnxWebRuntime({ wasmPaths: config.wasmUrl });
  const decodeTimes = new WeakMap<Float32Array, number>();
  const [codec, faceModel, heads] = await Promise.all([
    loadBrowserCodec({
      modelsUrl: config.codecModelsUrl,
      runtime,
      onDecodeTime: (ms, d) => decodeTimes.set(d, ms),
    }),
    loadFaceModel(config.faceModelUrl),
    config.headsModelsUrl ? ReceiverHeads.load({ modelsUrl: config.headsModelsUrl, runtime }) : undefined,
  ]);
  const room = await connect(config.relayUrl, { token: config.token, room: config.room, codec });
  const now = () => performance.now();
  room.on('descriptor', (ev) => {
    try {
      const t0 = now();
      const mesh = avatarMeshFromDescriptor(faceModel, ev.descriptor);
      on.avatar({
        ...mesh,
        seq: ev.seq,
        kind: ev.kind,
        bits: ev.bits,
        descriptor: ev.descriptor,
        decodeMs: decodeTimes.get(ev.descriptor) ?? Number.NaN,
        meshMs: now() - t0,
        latencyMs: ev.latencyMs,
      });
    } catch (err) {
      on.error?.(err as Error);
    }
  });
  room.on('error', (err) => on.error?.(err));
  if (heads) {
    const reference = new Map<string, Float32Array>();
    const started = new WeakMap<Float32Array, number>();
    // Time the heads per frame: understandingHead runs expression then verification on one event.
    const timed = {
      expression: (d: Float32Array) => {
        started.set(d, now());
        return heads.expression(d);
      },
      verificationVector: (d: Float32Array) => heads.verificationVector(d),
    };
    room.attachHead(
      understandingHead(
        timed,
        (u) => {
          const id = u.event.participantId;
          let verification: BrowserUnderstanding['verification'];
          if (u.verificationVector) {
            const ref = reference.get(id) ?? u.verificationVector;
            reference.set(id, ref);
            const distance = vectorDistance(ref, u.verificationVector);
            verification = { same: distance < heads.threshold, distance, threshold: heads.threshold };
          }
          const e = u.expression;
          on.understanding?.({
            seq: u.event.seq,
            headsMs: now() - (started.get(u.event.descriptor) ?? now()),
            ...(e ? { expression: { label: e.label, probability: Math.max(...e.probabilities) } } : {}),
            ...(verification ? { verification } : {}),
          });
        },
        (err) => on.error?.(err as Error),
      ),
    );
  }
  return {
    room,
    heads: heads !== undefined,
    close: () => {
      room.dispose();
      void heads?.dispose();
    },
  };
}
