import { UNIT_RANGE, sampleCrop } from '../detect/crop-sampler.js';
import { REFINEMENT_SPEC } from '../generated/refinement-spec.js';
import type { FaceBox, RgbaFrame } from '../types.js';

const { inputSize, crop, gray, inputRange } = REFINEMENT_SPEC.emotion;

/** Crop side over the face box's longer side (contract value). */
export const EMOTION_CROP_SCALE: number = crop.scale;

/** Side of the emotion model's square input, pixels. */
export const EMOTION_INPUT_SIZE: number = inputSize;

/**
 * Writes the emotion model's input for one face at `out[offset ..]`: the square gray crop of
 * contracts/expression-refinement.json (side = `crop.scale` x the longer side of `box`, centred a little above its centre)
 * resampled to {@link EMOTION_INPUT_SIZE}², mapped to [-1, 1]. The emotion network was trained on
 * FER-style crops that show the whole head, hence a crop larger than the mesh's bounding box.
 */
export function writeEmotionInput(
  frame: RgbaFrame,
  box: FaceBox,
  out: Float32Array,
  offset: number,
  rgb: Float32Array = new Float32Array(inputSize * inputSize * 3),
  cropScale: number = crop.scale,
): void {
  const side = cropScale * Math.max(box.width, box.height);
  sampleCrop(
    frame,
    {
      cx: box.x + box.width / 2,
      cy: box.y + box.height * (0.5 + crop.centreShift),
      size: side,
      angle: 0,
    },
    inputSize,
    rgb,
    0,
    UNIT_RANGE,
  );
  const [lo, hi] = inputRange;
  for (let i = 0; i < inputSize * inputSize; i++) {
    const g = gray[0] * rgb[i * 3]! + gray[1] * rgb[i * 3 + 1]! + gray[2] * rgb[i * 3 + 2]!;
    out[offset + i] = lo + (hi - lo) * g;
  }
}
