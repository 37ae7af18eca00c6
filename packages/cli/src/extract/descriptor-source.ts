import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DESCRIPTOR_LENGTH } from '@semface/codec-core';
import {
  DEFAULT_FACE_MODEL_DIR,
  FACE_MESH_DETECTOR_DEFAULTS,
  type FaceDescriptorSource,
  FaceFitter,
  FaceMeshDetector,
  type FittedFace,
  MODEL_FILES,
  type RgbaFrame,
  type SidecarModel,
} from '@semface/extractor';

/** Where the models come from. */
export interface DescriptorSourceOptions {
  /** Folder of the detector/mesh/iris ONNX files. Default: the extractor's packaged models. */
  readonly modelDir?: string;
  /** Folder of the face model. Default: the extractor's packaged face model. */
  readonly faceModelDir?: string;
  /** A ready fitter (e.g. over an in-memory model); replaces loading from `faceModelDir`. */
  readonly fitter?: FaceFitter;
  /** Average each mesh with the mesh of the mirrored crop (`FaceMeshDetectorOptions.symmetric`). */
  readonly symmetric?: boolean;
}

/** A ready detector + fitter and the ids and hashes of the files behind them. */
export interface LoadedDescriptorSource extends FaceDescriptorSource {
  readonly models: readonly SidecarModel[];
  close(): Promise<void>;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function faceModelRecords(dir: string): Promise<SidecarModel[]> {
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    files.map(async (f) => ({ role: 'face-model', id: f, sha256: await sha256(join(dir, f)) })),
  );
}

/** Loads the face-mesh detector and the fitter once, for a whole extraction job. */
export async function loadDescriptorSource(
  options: DescriptorSourceOptions = {},
): Promise<LoadedDescriptorSource> {
  const modelDir = options.modelDir ?? FACE_MESH_DETECTOR_DEFAULTS.modelDir;
  const faceModelDir = options.faceModelDir ?? DEFAULT_FACE_MODEL_DIR;
  const detector = await FaceMeshDetector.create({ modelDir, symmetric: options.symmetric ?? false });
  const fitter = options.fitter ?? (await FaceFitter.load(faceModelDir));
  const roles = [
    ['detector', MODEL_FILES.detector],
    ['mesh', MODEL_FILES.mesh],
    ...(detector.options.iris ? [['iris', MODEL_FILES.iris] as const] : []),
  ] as const;
  const models: SidecarModel[] = await Promise.all(
    roles.map(async ([role, file]) => ({ role, id: file, sha256: await sha256(join(modelDir, file)) })),
  );
  models.push(
    ...(options.fitter ? [{ role: 'face-model', id: 'in-memory' }] : await faceModelRecords(faceModelDir)),
  );
  return {
    descriptorLength: DESCRIPTOR_LENGTH,
    models,
    async extract(frame: RgbaFrame, { allFaces, videoFrame, timestampMs, cropBox }): Promise<FittedFace[]> {
      // Single-face video: follow the face from frame to frame (mesh-only passes, steadier boxes; the
      // tracker's temporal stabiliser smooths the mesh using the frame times).
      if (videoFrame === 'first') detector.resetTracking();
      const faces =
        videoFrame !== undefined && !allFaces
          ? await detector.track(frame, timestampMs === undefined ? {} : { timestampMs })
          : await detector.detect(frame, { allFaces });
      if (faces.length === 0 && cropBox !== undefined) {
        // Face-crop datasets: the detector misses many tight or low-contrast crops whose mesh is
        // still good, and the image itself says where the face is.
        const face = await detector.meshFromBox(frame, cropBox);
        return face ? [{ ...fitter.fit(face, frame), fromCropBox: true }] : [];
      }
      return faces.map((face) => fitter.fit(face, frame));
    },
    close: () => detector.dispose(),
  };
}
