import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FaceTopology, type FaceTopologyJson, faceTopologyFromJson } from '../topology/face-topology.js';

/** Folder with the viewer page (index.html, ES modules, face-topology.json). */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** Loads the committed face topology (public/face-topology.json). */
export async function loadFaceTopology(): Promise<FaceTopology> {
  const json = JSON.parse(await readFile(`${PUBLIC_DIR}face-topology.json`, 'utf8')) as FaceTopologyJson;
  return faceTopologyFromJson(json);
}

/** onnxruntime-web's dist folder (its wasm files are served to the page from here). */
export function onnxWebDist(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  } catch {
    return undefined;
  }
}
