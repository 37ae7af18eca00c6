import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { float32LeBytes, npyHeader, reservedNpyHeaderLength } from './npy.js';

/**
 * Writes a `.npy` float32 matrix row by row, for jobs too long to hold in memory or to lose on a
 * crash. Rows go to `<path>.partial`; `close()` patches the row count into the reserved header and
 * renames the file into place, so `path` only ever holds a complete array.
 */
export class NpyStreamWriter {
  private rowCount = 0;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    /** Final path of the array. */
    readonly path: string,
    /** Values per row. */
    readonly cols: number,
    private readonly headerLength: number,
  ) {}

  /** Opens a writer for rows of `cols` values. */
  static async open(path: string, cols: number): Promise<NpyStreamWriter> {
    if (!Number.isInteger(cols) || cols <= 0)
      throw new RangeError(`cols must be a positive integer, got ${cols}`);
    const headerLength = reservedNpyHeaderLength(cols);
    const handle = await open(`${path}.partial`, 'w');
    await handle.write(npyHeader(0, cols, headerLength), 0, headerLength, 0);
    return new NpyStreamWriter(handle, path, cols, headerLength);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** Appends one or more whole rows (`values.length` must be a multiple of `cols`). */
  async append(values: Float32Array): Promise<void> {
    if (this.closed) throw new Error('NpyStreamWriter is closed');
    if (values.length === 0 || values.length % this.cols !== 0) {
      throw new RangeError(`expected a multiple of ${this.cols} values, got ${values.length}`);
    }
    const bytes = float32LeBytes(values);
    const position = this.headerLength + this.rowCount * this.cols * 4;
    const { bytesWritten } = await this.handle.write(bytes, 0, bytes.length, position);
    if (bytesWritten !== bytes.length)
      throw new Error(`short write: ${bytesWritten} of ${bytes.length} bytes`);
    this.rowCount += values.length / this.cols;
  }

  /** Writes the final shape into the header and moves the file to `path`. Returns the row count. */
  async close(): Promise<number> {
    if (this.closed) return this.rowCount;
    this.closed = true;
    const header = npyHeader(this.rowCount, this.cols, this.headerLength);
    if (header.length !== this.headerLength) throw new Error('npy header length changed while patching');
    await this.handle.write(header, 0, header.length, 0);
    await this.handle.truncate(this.headerLength + this.rowCount * this.cols * 4);
    await this.handle.close();
    await rename(`${this.path}.partial`, this.path);
    return this.rowCount;
  }

  /** Discards the partial file. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
    await rm(`${this.path}.partial`, { force: true });
  }
}
