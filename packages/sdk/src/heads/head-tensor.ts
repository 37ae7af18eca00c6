import { DESCRIPTOR_LENGTH } from '@semface/codec-core/layout';
import { InvalidDescriptorError } from '../errors.js';

/**
 * Gathers a head's input fields of each 257-D descriptor into one row-major batch (n x indices.length).
 * Shared by the Node and browser heads so both refuse the same bad input the same way.
 * @throws InvalidDescriptorError (SEMFACE_ERR_SDK_INVALID_DESCRIPTOR) for a wrong type, length or a
 * non-finite value.
 */
export function headInputBatch(
  descriptors: readonly Float32Array[],
  indices: ArrayLike<number>,
): Float32Array {
  const d = indices.length;
  const x = new Float32Array(descriptors.length * d);
  descriptors.forEach((desc, r) => {
    if (!(desc instanceof Float32Array) || desc.length !== DESCRIPTOR_LENGTH) {
      throw new InvalidDescriptorError(
        `descriptor ${r} must be a Float32Array of length ${DESCRIPTOR_LENGTH}`,
      );
    }
    for (let i = 0; i < d; i++) {
      const v = desc[indices[i]!]!;
      if (!Number.isFinite(v)) throw new InvalidDescriptorError(`descriptor ${r} has a non-finite value`);
      x[r * d + i] = v;
    }
  });
  return x;
}

/** Splits a head's row-major output (n x k) into one vector per descriptor. */
export function splitHeadOutput(y: Float32Array, n: number, k: number): Float32Array[] {
  return Array.from({ length: n }, (_, r) => y.slice(r * k, (r + 1) * k));
}
