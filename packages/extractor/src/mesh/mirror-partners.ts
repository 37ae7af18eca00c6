import { loadFaceModel } from '@semface/face-model/node';
import { DEFAULT_FACE_MODEL_DIR } from '../fit/face-fitter.js';
import { mirrorMap } from '../fit/mirror-map.js';
import { MESH_VERTEX_COUNT } from '../types.js';

let partners: Promise<Uint16Array> | undefined;

/**
 * Left/right counterpart of each of MediaPipe's 468 mesh vertices (midline vertices map to themselves),
 * read off the shipped face model's mean shape, which is symmetric in its canonical frame. Loaded once.
 */
export function meshMirrorPartners(): Promise<Uint16Array> {
  partners ??= loadFaceModel(DEFAULT_FACE_MODEL_DIR).then((m) => mirrorMap(m.meanShape, MESH_VERTEX_COUNT));
  return partners;
}
