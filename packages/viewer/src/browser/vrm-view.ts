import * as threeVrm from '@pixiv/three-vrm';
import { type VRM, VRMLoaderPlugin } from '@pixiv/three-vrm';
import { FaceRig, type FaceRigOptions, type RigFrame, VRM_EXPRESSIONS } from '@semface/sdk/rig';
import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { buildProceduralVrm } from '../avatar/procedural-vrm.js';
import { BrowserDecodeError } from '../errors.js';

/** A VRM avatar on a canvas, driven by decoded descriptors through the SDK rig. */
export interface VrmView {
  readonly canvas: HTMLCanvasElement;
  /** Name of the loaded avatar (file name, or the built-in one). */
  readonly label: string;
  /** Frames driven / drawn since the page started. */
  readonly driven: number;
  readonly drawn: number;
  /** The last rig frame applied. */
  readonly lastFrame: RigFrame | null;
  /** Replaces the avatar with a .vrm (VRM 0.x or 1.0) file's bytes. */
  loadVrm(bytes: ArrayBuffer | Uint8Array, label: string): Promise<void>;
  /** Poses the avatar for one decoded descriptor (draws on the next animation frame). */
  drive(descriptor: Float32Array): RigFrame;
  dispose(): void;
}

/**
 * three-vrm's `VRMUtils` (exported at run time; its typings re-export it from a directory index that
 * NodeNext resolution does not follow, so the few helpers used here are typed locally).
 */
const VRMUtils = (
  threeVrm as unknown as {
    VRMUtils: {
      rotateVRM0(vrm: VRM): void;
      deepDispose(object: THREE.Object3D): void;
      combineSkeletons(root: THREE.Object3D): void;
      removeUnnecessaryVertices(root: THREE.Object3D): void;
    };
  }
).VRMUtils;

const LOOK = new Set(['lookUp', 'lookDown', 'lookLeft', 'lookRight']);

/**
 * Creates the VRM view: three.js + three-vrm on `canvas`, starting with the built-in avatar
 * (procedural-vrm.ts, loaded through the same VRM loader as dropped files). Expressions and the
 * neck/head bones come from one {@link FaceRig} per view; gaze goes through the model's own
 * `VRMLookAt` when it has one (bone- or expression-type), else through the look expressions.
 */
export async function createVrmView(
  canvas: HTMLCanvasElement,
  rigOptions: Partial<FaceRigOptions> = {},
): Promise<VrmView> {
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(1);
  renderer.setSize(canvas.width, canvas.height, false);
  renderer.setClearColor(0x0d0e11);
  const scene = new THREE.Scene();
  scene.add(new THREE.HemisphereLight(0xffffff, 0x404050, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.8);
  sun.position.set(0.4, 1.2, 1.5);
  scene.add(sun);
  const camera = new THREE.PerspectiveCamera(26, canvas.width / canvas.height, 0.05, 20);
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const rig = new FaceRig(rigOptions);
  const clock = new THREE.Clock();
  let vrm: VRM | null = null;
  let label = '';
  let driven = 0;
  let drawn = 0;
  let lastFrame: RigFrame | null = null;
  let pending = false;

  const draw = () => {
    pending = false;
    vrm?.update(clock.getDelta());
    renderer.render(scene, camera);
    drawn++;
  };
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(draw);
    }
  };

  async function loadVrm(bytes: ArrayBuffer | Uint8Array, name: string): Promise<void> {
    const buffer =
      bytes instanceof Uint8Array
        ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
        : bytes;
    const gltf = await loader.parseAsync(buffer as ArrayBuffer, '');
    const next = gltf.userData.vrm as VRM | undefined;
    if (!next) throw new BrowserDecodeError(`${name}: not a VRM file (no VRMC_vrm / VRM extension)`);
    VRMUtils.removeUnnecessaryVertices(gltf.scene);
    VRMUtils.combineSkeletons(gltf.scene);
    VRMUtils.rotateVRM0(next); // VRM 0.x faces -z; turn it to face the camera like VRM 1.0
    if (vrm) {
      scene.remove(vrm.scene);
      VRMUtils.deepDispose(vrm.scene);
    }
    vrm = next;
    scene.add(vrm.scene);
    vrm.update(0);
    // Frame the head: camera in front of the head bone, at a distance that fits a head and shoulders.
    const headBone = vrm.humanoid.getNormalizedBoneNode('head');
    const target = new THREE.Vector3(0, 1.4, 0);
    headBone?.getWorldPosition(target);
    target.y += 0.02;
    camera.position.set(target.x, target.y, target.z + 0.85);
    camera.lookAt(target);
    label = name;
    rig.reset();
    if (lastFrame) apply(lastFrame);
    schedule();
  }

  function apply(frame: RigFrame): void {
    if (!vrm) return;
    const em = vrm.expressionManager;
    const lookAt = vrm.lookAt;
    for (const name of VRM_EXPRESSIONS) {
      if (lookAt && LOOK.has(name)) continue;
      em?.setValue(name, frame.vrm.expressions[name]);
    }
    if (lookAt) {
      lookAt.autoUpdate = true;
      lookAt.target = undefined;
      lookAt.yaw = frame.vrm.lookAt.yaw;
      lookAt.pitch = frame.vrm.lookAt.pitch;
    }
    const neck = vrm.humanoid.getNormalizedBoneNode('neck');
    const head = vrm.humanoid.getNormalizedBoneNode('head');
    const q = (o: { x: number; y: number; z: number; w: number }) => new THREE.Quaternion(o.x, o.y, o.z, o.w);
    if (neck) {
      neck.quaternion.copy(q(frame.vrm.neck));
      head?.quaternion.copy(q(frame.vrm.head));
    } else head?.quaternion.copy(q(frame.head.rotation));
  }

  await loadVrm(buildProceduralVrm(), 'built-in head (procedural VRM 1.0)');

  return {
    canvas,
    get label() {
      return label;
    },
    get driven() {
      return driven;
    },
    get drawn() {
      return drawn;
    },
    get lastFrame() {
      return lastFrame;
    },
    loadVrm,
    drive(descriptor) {
      const frame = rig.solve(descriptor);
      lastFrame = frame;
      driven++;
      apply(frame);
      schedule();
      return frame;
    },
    dispose() {
      if (vrm) VRMUtils.deepDispose(vrm.scene);
      renderer.dispose();
    },
  };
}
