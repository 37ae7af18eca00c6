import { FaceModel } from '@semface/face-model';
import { EYE_OUTER, type FaceTopology } from '../topology/face-topology.js';

/** Albedo of the stand-in model, linear RGB in [0, 1]. */
const SKIN = [0.8, 0.62, 0.52] as const;

/**
 * A stand-in face model for when the trained one (packages/extractor/models/face-model) is not
 * installed: the mean shape and triangles of the viewer's own topology, no identity, expression
 * or texture components, one skin albedo. Descriptors fitted with it carry pose and lighting only.
 */
export function fallbackFaceModel(topology: FaceTopology): FaceModel {
  const v = topology.vertexCount;
  const meanAlbedo = new Float32Array(v * 3);
  for (let i = 0; i < v; i++) meanAlbedo.set(SKIN, i * 3);
  return new FaceModel({
    vertexCount: v,
    meanShape: topology.meanShape,
    identityBasis: new Float32Array(0),
    expressionBasis: new Float32Array(0),
    meanAlbedo,
    textureBasis: new Float32Array(0),
    triangles: topology.triangles,
    landmarks: { eyeRightOuter: EYE_OUTER.right, eyeLeftOuter: EYE_OUTER.left },
    prior: { shapeNoiseVariance: 1, textureNoiseVariance: 1 },
    training: { about: 'semface viewer fallback: mean shape only' },
  });
}
