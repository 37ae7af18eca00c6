import { readFile, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { InputNotFoundError, NpyInvalidError } from '../errors.js';

/**
 * NumPy `.npy` files of little-endian float32 2-D arrays in C order (format version 1.0), the
 * descriptor cache format shared with the Python training code.
 */

/** A 2-D float32 array in row-major order. */
export interface Float32Matrix {
  readonly rows: number;
  readonly cols: number;
  /** `rows * cols` values, row-major. */
  readonly data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const; // "\x93NUMPY"
/** Magic (6) + version (2) + header length (2) for format 1.0. */
const PREAMBLE_V1 = 10;
/** NumPy aligns the data start to 64 bytes. */
const ALIGN = 64;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

function checkDim(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a non-negative integer`);
}

function headerDict(rows: number, cols: number, rowsWidth: number): string {
  return `{'descr': '<f4', 'fortran_order': False, 'shape': (${String(rows).padStart(rowsWidth, ' ')}, ${cols}), }`;
}

/**
 * Builds the preamble + header of a v1.0 `.npy` file for a `rows x cols` float32 array, padded with
 * spaces and a final newline so that the data starts on a 64-byte boundary. `minLength` pads the
 * header further (the streaming writer reserves room to patch the row count in place).
 */
export function npyHeader(rows: number, cols: number, minLength = 0): Uint8Array {
  checkDim(rows, 'rows');
  checkDim(cols, 'cols');
  const dict = headerDict(rows, cols, 0);
  const bare = PREAMBLE_V1 + dict.length + 1;
  const total = Math.max(Math.ceil(bare / ALIGN) * ALIGN, minLength);
  if (total % ALIGN !== 0) throw new RangeError('npy header length must be a multiple of 64');
  const headerLen = total - PREAMBLE_V1;
  if (headerLen > 0xffff) throw new RangeError('npy v1.0 header too long');
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLen & 0xff;
  out[9] = headerLen >>> 8;
  const text = dict.padEnd(headerLen - 1, ' ');
  for (let i = 0; i < text.length; i++) out[PREAMBLE_V1 + i] = text.charCodeAt(i);
  out[total - 1] = 0x0a;
  return out;
}

/** Float32 values as little-endian bytes (a view on little-endian hosts, a copy otherwise). */
export function float32LeBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return out;
}

/** Encodes a matrix as a complete `.npy` file. The data length must equal `rows * cols`. */
export function encodeNpy(matrix: Float32Matrix): Uint8Array {
  const { rows, cols, data } = matrix;
  checkDim(rows, 'rows');
  checkDim(cols, 'cols');
  if (data.length !== rows * cols) {
    throw new RangeError(`data has ${data.length} values, expected ${rows} x ${cols} = ${rows * cols}`);
  }
  const header = npyHeader(rows, cols);
  const total = header.length + data.length * 4;
  const out = new Uint8Array(total);
  out.set(header, 0);
  out.set(float32LeBytes(data), header.length);
  return out;
}

const HEADER_RE =
  /^\{\s*'descr'\s*:\s*'([^']+)'\s*,\s*'fortran_order'\s*:\s*(True|False)\s*,\s*'shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)\s*,?\s*\}\s*$/;

/**
 * Decodes a `.npy` file holding a 2-D little-endian float32 C-order array (format 1.0 or 2.0).
 * @throws NpyInvalidError (SEMFACE_ERR_NPY_INVALID) for a bad magic, dtype, order, shape or length
 */
export function decodeNpy(bytes: Uint8Array): Float32Matrix {
  if (bytes.length < PREAMBLE_V1 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new NpyInvalidError('bad magic');
  const major = bytes[6]!;
  let headerStart: number;
  let headerLen: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) {
    headerStart = PREAMBLE_V1;
    headerLen = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyInvalidError('truncated preamble');
    headerStart = 12;
    headerLen = view.getUint32(8, true);
  } else {
    throw new NpyInvalidError(`unsupported format version ${major}.${bytes[7]}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new NpyInvalidError('truncated header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, dataStart));
  const m = HEADER_RE.exec(header);
  if (!m) throw new NpyInvalidError(`not a 2-D array header: ${header.trim()}`);
  const [, descr, fortran, rowsText, colsText] = m;
  if (descr !== '<f4') throw new NpyInvalidError(`dtype ${descr} is not little-endian float32 '<f4'`);
  if (fortran !== 'False') throw new NpyInvalidError('Fortran order is not supported');
  const rows = Number(rowsText);
  const cols = Number(colsText);
  const expected = rows * cols * 4;
  if (bytes.length - dataStart !== expected) {
    throw new NpyInvalidError(
      `data is ${bytes.length - dataStart} bytes, expected ${expected} for (${rows}, ${cols})`,
    );
  }
  const data = new Float32Array(rows * cols);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart));
  } else {
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(dataStart + i * 4, true);
  }
  return { rows, cols, data };
}

/** Writes a matrix to a `.npy` file. */
export async function writeNpy(path: string, matrix: Float32Matrix): Promise<void> {
  await writeFile(path, encodeNpy(matrix));
}

/**
 * Reads a `.npy` file of a 2-D float32 array.
 * @throws InputNotFoundError, NpyInvalidError
 */
export async function readNpy(path: string): Promise<Float32Matrix> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputNotFoundError(path);
    throw err;
  }
  return decodeNpy(bytes);
}

/** Returns row `i` of a matrix as a view (no copy). */
export function matrixRow(matrix: Float32Matrix, i: number): Float32Array {
  if (!Number.isInteger(i) || i < 0 || i >= matrix.rows) throw new RangeError(`row ${i} out of range`);
  return matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols);
}

/** Header length the streaming writer reserves: room for any row count up to 2^53. */
export function reservedNpyHeaderLength(cols: number): number {
  const widest = headerDict(Number.MAX_SAFE_INTEGER, cols, 0).length;
  return Math.ceil((PREAMBLE_V1 + widest + 1) / ALIGN) * ALIGN;
}
