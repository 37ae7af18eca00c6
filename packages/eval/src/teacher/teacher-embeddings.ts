import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  FaceEmbedder,
  FaceMeshDetector,
  LFW_IMAGE_DIR,
  NpyStreamWriter,
  type SidecarFailure,
  type SidecarRow,
  alignedFaceBox,
  createSidecarHeader,
  readImageFile,
  sidecarPathFor,
  writeSidecar,
} from '@semface/extractor';

/** Options of {@link computeTeacherEmbeddings}. */
export interface TeacherOptions {
  /** LFW root (holds lfw-deepfunneled/). */
  readonly lfwRoot: string;
  /** Data root the sidecar sources are made relative to (as in descriptor caches). */
  readonly dataRoot: string;
  /** Output .npy (N x 128 float32); the sidecar goes next to it. */
  readonly out: string;
  /** Only the first N images (sorted by person, then file). */
  readonly limit?: number;
  /** Called after each image. */
  readonly onImage?: (done: number, total: number, failed: number) => void;
  /** Command line recorded in the sidecar. */
  readonly command?: string;
}

/**
 * Teacher embeddings for the verification head: face-api's 128-D descriptor (FaceEmbedder on the
 * largest detected face, face-api's aligned crop) of every LFW image, written like a descriptor cache
 * (`.npy` N x 128 + sidecar with source and aligned box per row, failures listed).
 */
export async function computeTeacherEmbeddings(o: TeacherOptions): Promise<{ rows: number; failed: number }> {
  const root = join(o.lfwRoot, LFW_IMAGE_DIR);
  const people = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  let paths: string[] = [];
  for (const p of people) {
    const files = (await readdir(join(root, p))).filter((f) => f.endsWith('.jpg')).sort();
    paths.push(...files.map((f) => join(root, p, f)));
  }
  if (o.limit !== undefined) paths = paths.slice(0, o.limit);
  const detector = await FaceMeshDetector.create();
  const embedder = await FaceEmbedder.create();
  await mkdir(dirname(o.out), { recursive: true });
  const writer = await NpyStreamWriter.open(o.out, 128);
  const rows: SidecarRow[] = [];
  const failures: SidecarFailure[] = [];
  try {
    for (const [i, path] of paths.entries()) {
      const source = relative(o.dataRoot, path);
      try {
        const frame = await readImageFile(path);
        const [face] = await detector.detect(frame);
        if (!face) throw Object.assign(new Error('no face detected'), { code: 'SEMFACE_ERR_NO_FACE' });
        const box = alignedFaceBox(face, frame.width, frame.height);
        await writer.append(await embedder.embedRegion(frame, box));
        rows.push({
          source,
          frameIndex: null,
          timestampMs: null,
          faceIndex: 0,
          box,
          detectorScore: face.score,
          fitErrorPercent: 0,
          label: source.split('/').at(-2) ?? '',
        });
      } catch (err) {
        const e = err as Error & { code?: string };
        failures.push({
          source,
          frameIndex: null,
          code: e.code ?? 'SEMFACE_ERR_UNKNOWN',
          message: e.message,
        });
      }
      o.onImage?.(i + 1, paths.length, failures.length);
    }
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    await detector.dispose();
    await embedder.dispose();
  }
  await writeSidecar(sidecarPathFor(o.out), {
    header: createSidecarHeader({
      command: o.command ?? 'semface eval --teacher',
      columns: 128,
      models: [{ role: 'face-embedder', id: 'face-recognition.onnx' }],
      dataset: { name: 'lfw', split: 'all' },
    }),
    rows,
    failures,
  });
  return { rows: rows.length, failed: failures.length };
}
