import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DESCRIPTOR_LENGTH, SemfaceCodec, isFramePacket, parseFramePacket } from '@semface/codec-core';
import { writeFile } from 'node:fs/promises';
import { writeNpy } from '@semface/extractor';
import { FaceRig, LIVE_LINK_CSV_HEADER, liveLinkCsvRow } from '@semface/sdk';
import type { Command } from '../command.js';

const USAGE = `Usage: semface decode in.sfc -o rec.npy [--models DIR] [--format npy|livelink-csv [--fps N]]

Decompresses a semface bitstream v1 file (or a sequence of frame packets) into 257-D descriptors (float32 .npy, rows x 257);
fields outside the stream's profile are 0.

Options:
  -o, --out FILE     output .npy file (required)
  --models DIR       model folder with manifest.json (default: models shipped with codec-core)
  --format F         npy (default) or livelink-csv: a Live Link Face CSV (Timecode, BlendShapeCount and
                     61 curves: ARKit-52 weights from the SDK rig + head/eye rotations in radians),
                     for Unreal / Maya / Blender importers (docs/avatars.md)
  --fps N            frame rate of the CSV timecodes (default 30)`;

/** `semface decode`: .sfc bitstream -> .npy descriptors. */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decompress a semface bitstream (.sfc) into descriptors (.npy)',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        models: { type: 'string' },
        format: { type: 'string', default: 'npy' },
        fps: { type: 'string', default: '30' },
      },
    });
    const input = positionals[0];
    if (positionals.length !== 1 || input === undefined || values.out === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    if (values.format !== 'npy' && values.format !== 'livelink-csv') {
      throw new RangeError(`--format must be npy or livelink-csv, got '${values.format}'`);
    }
    const fps = Number(values.fps);
    if (!(fps > 0)) throw new RangeError(`--fps must be > 0, got '${values.fps}'`);
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
        profile = frame.profile;
        offset += length;
      }
    } else {
      const decoded = await codec.decode(bytes);
      descriptors = decoded.descriptors;
      profile = decoded.params.profile;
    }
    const rows = descriptors.length;
    if (values.format === 'livelink-csv') {
      const rig = new FaceRig();
      const lines = [
        LIVE_LINK_CSV_HEADER,
        ...descriptors.map((d, i) => liveLinkCsvRow(rig.solve(d), i / fps, fps)),
      ];
      await writeFile(values.out, `${lines.join('\n')}\n`);
      process.stdout.write(
        `wrote ${values.out}: ${rows} Live Link Face rows at ${fps} fps (${profile} profile)\n`,
      );
      return 0;
    }
    const data = new Float32Array(rows * DESCRIPTOR_LENGTH);
    descriptors.forEach((d, i) => data.set(d, i * DESCRIPTOR_LENGTH));
    await writeNpy(values.out, { rows, cols: DESCRIPTOR_LENGTH, data });
    process.stdout.write(`wrote ${values.out}: ${rows} descriptors (${profile} profile)\n`);
    return 0;
  },
};
