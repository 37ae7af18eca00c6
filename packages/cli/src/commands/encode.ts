import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DESCRIPTOR_LENGTH, SemfaceCodec } from '@semface/codec-core';
import { readNpy } from '@semface/extractor';
import { ArkitInverter, parseLiveLinkCsv } from '@semface/sdk';
import type { Command } from '../command.js';
import { parseCoder, parseCount, parseProfile, parseRate } from '../codec/codec-args.js';

const USAGE = `Usage: semface encode in.npy -o out.sfc [--profile full|expression|identity] [--model-profile NAME]
       [--rate N] [--coder ppm|rans] [--stream [--key-interval N]]
       semface encode --from-livelink take.csv -o out.sfc [options]

Compresses 257-D descriptors (float32 .npy, rows x 257) into one semface bitstream v1 file, or with
--stream into a sequence of self-delimiting frame packets (what a sender puts on the wire).

Options:
  -o, --out FILE     output .sfc file (required)
  --profile NAME     fields to carry: full, expression or identity (default: full)
  --model-profile NAME
                     profile of the model that codes them: the --profile itself (default) or one that
                     covers it, e.g. full to send identity fields through a full model
  --rate N           model rate index (default: 0)
  --coder NAME       entropy back-end: rans (learned prior) or ppm (Exp-Golomb + PPM) (default: rans)
  --stream           write frame packets (one per row) instead of a batch file
  --key-interval N   with --stream: a key frame every N frames (default: only the first)
  --models DIR       model folder with manifest.json (default: models shipped with codec-core)
  --from-livelink    the input is a Live Link Face CSV: each row's ARKit weights are turned into the
                     expression coefficients the SDK rig maps back to them (docs/avatars.md) and its
                     HeadPitch/HeadYaw/HeadRoll (radians) into the rotation; default --profile expression`;

/** `semface encode`: .npy descriptors -> .sfc bitstream. */
export const encodeCommand: Command = {
  name: 'encode',
  summary: 'compress descriptors (.npy) into a semface bitstream (.sfc)',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        profile: { type: 'string' },
        'model-profile': { type: 'string' },
        rate: { type: 'string' },
        coder: { type: 'string' },
        models: { type: 'string' },
        stream: { type: 'boolean' },
        'key-interval': { type: 'string' },
        'from-livelink': { type: 'boolean' },
      },
    });
    const input = positionals[0];
    if (positionals.length !== 1 || input === undefined || values.out === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const profile = parseProfile(values.profile, values['from-livelink'] ? 'expression' : 'full');
    const modelProfile = parseProfile(values['model-profile'], profile, 'model-profile');
    const coder = parseCoder(values.coder, 'rans');
    const rateIndex = parseRate(values.rate);
    const matrix = values['from-livelink'] ? await descriptorsFromLiveLink(input) : await readNpy(input);
    if (matrix.cols !== DESCRIPTOR_LENGTH) {
      throw new RangeError(`${input} has ${matrix.cols} columns, descriptors have ${DESCRIPTOR_LENGTH}`);
    }
    const codec = await SemfaceCodec.load(values.models === undefined ? {} : { modelsDir: values.models });
    let bytes: Uint8Array;
    if (values.stream) {
      const keyFrameInterval = parseCount('key-interval', values['key-interval']);
      const enc = codec.createStreamEncoder({ profile, modelProfile, coder, rateIndex, keyFrameInterval });
      const packets: Uint8Array[] = [];
      for (let r = 0; r < matrix.rows; r++) {
        const row = matrix.data.subarray(r * DESCRIPTOR_LENGTH, (r + 1) * DESCRIPTOR_LENGTH);
        packets.push((await enc.encodeFrame(row)).packet);
      }
      bytes = Buffer.concat(packets);
    } else {
      bytes = await codec.encode(matrix.data, { profile, modelProfile, coder, rateIndex });
    }
    await writeFile(values.out, bytes);
    const bits = matrix.rows > 0 ? ((bytes.length * 8) / matrix.rows).toFixed(1) : '0';
    process.stdout.write(
      `wrote ${values.out}: ${matrix.rows} descriptors, ${bytes.length} bytes (${bits} bits/descriptor), ${profile}${modelProfile === profile ? '' : ` (${modelProfile} model)`} rate ${rateIndex} ${coder}\n`,
    );
    return 0;
  },
};

/** Descriptors of a Live Link Face take (one per CSV row), through the SDK rig's inverse. */
async function descriptorsFromLiveLink(
  path: string,
): Promise<{ rows: number; cols: number; data: Float32Array }> {
  const take = parseLiveLinkCsv(await readFile(path, 'utf8'));
  const inverter = new ArkitInverter();
  const data = new Float32Array(take.rows.length * DESCRIPTOR_LENGTH);
  take.rows.forEach((row, i) => {
    const head = {
      pitch: row.values.HeadPitch ?? 0,
      yaw: row.values.HeadYaw ?? 0,
      roll: row.values.HeadRoll ?? 0,
    };
    data.set(inverter.descriptor(row.arkit, head), i * DESCRIPTOR_LENGTH);
  });
  return { rows: take.rows.length, cols: DESCRIPTOR_LENGTH, data };
}
