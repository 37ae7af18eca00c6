import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DESCRIPTOR_LENGTH, SemfaceCodec, isFramePacket, parseFramePacket } from '@semface/codec-core';
import { writeNpy } from '@semface/extractor';
import type { Command } from '../command.js';

const USAGE = `Usage: semface decode in.sfc -o rec.npy [--models DIR]

Decompresses a semface bitstream v1 file (or a sequence of frame packets) into 257-D descriptors (float32 .npy, rows x 257);
fields outside the stream's profile are 0.

Options:
  -o, --out FILE     output .npy file (required)
  --models DIR       model folder with manifest.json (default: models shipped with codec-core)`;

/** `semface decode`: .sfc bitstream -> .npy descriptors. */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decompress a semface bitstream (.sfc) into descriptors (.npy)',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { out: { type: 'string', short: 'o' }, models: { type: 'string' } },
    });
    const input = positionals[0];
    if (positionals.length !== 1 || input === undefined || values.out === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const bytes = new Uint8Array(await readFile(input));
    const codec = await SemfaceCodec.load(values.models === undefined ? {} : { modelsDir: values.models });
    let descriptors: Float32Array[];
    let profile: string;
    if (isFramePacket(bytes)) {
      const dec = codec.createStreamDecoder();
      descriptors = [];
      profile = '';
      for (let offset = 0; offset < bytes.length; ) {
        const length = parseFramePacket(bytes, offset).byteLength;
        const frame = await dec.decodeFrame(bytes.subarray(offset, offset + length));
        descriptors.push(frame.descriptor);
        profile = frame.params.profile;
        offset += length;
      }
    } else {
      const decoded = await codec.decode(bytes);
      descriptors = decoded.descriptors;
      profile = decoded.params.profile;
    }
    const rows = descriptors.length;
    const data = new Float32Array(rows * DESCRIPTOR_LENGTH);
    descriptors.forEach((d, i) => data.set(d, i * DESCRIPTOR_LENGTH));
    await writeNpy(values.out, { rows, cols: DESCRIPTOR_LENGTH, data });
    process.stdout.write(`wrote ${values.out}: ${rows} descriptors (${profile} profile)\n`);
    return 0;
  },
};
