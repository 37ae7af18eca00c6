import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  isFile,
  isFramePacket,
  parseFile,
  parseFramePacket,
  type StreamParams,
} from '@semface/codec-core/wire';
import type { Command } from '../command.js';

const USAGE = `Usage: semface inspect in.sfc [--frames]

Prints the header of a semface bitstream v1 file (or a concatenation of frame packets), its frame
count and sizes, and the bits per descriptor. Needs no models; validates magic, version and CRC-32.

Options:
  --frames           list every frame's payload size`;

function paramLines(p: StreamParams): string[] {
  return [
    `model id:     ${p.modelId}`,
    `profile:      ${p.profile}`,
    `rate index:   ${p.rateIndex}`,
    `coder:        ${p.coder}`,
    `latent dim:   ${p.latentDim}`,
  ];
}

function sizeLines(total: number, payloads: number[]): string[] {
  const n = payloads.length;
  const sum = payloads.reduce((a, b) => a + b, 0);
  const per = (bytes: number) => (n > 0 ? ((bytes * 8) / n).toFixed(1) : '0');
  return [
    `frames:       ${n}`,
    `bytes:        ${total} (payload ${sum}, overhead ${total - sum})`,
    `bits/descriptor: ${per(total)} total, ${per(sum)} payload`,
    n > 0
      ? `payload bytes: min ${Math.min(...payloads)}, max ${Math.max(...payloads)}, mean ${(sum / n).toFixed(1)}`
      : '',
  ].filter((l) => l !== '');
}

/** `semface inspect`: header, frames and bits per descriptor of a bitstream. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show the header, frames and bits per descriptor of a semface bitstream',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { frames: { type: 'boolean' } },
    });
    const input = positionals[0];
    if (positionals.length !== 1 || input === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const bytes = new Uint8Array(await readFile(input));
    const lines: string[] = [];
    let payloads: number[];
    if (isFile(bytes) || !isFramePacket(bytes)) {
      const f = parseFile(bytes);
      payloads = f.payloads.map((p) => p.length);
      lines.push(`${input}: semface batch file v1 (CRC-32 ok)`, ...paramLines(f.params));
    } else {
      payloads = [];
      let keys = 0;
      let offset = 0;
      let first: StreamParams | undefined;
      while (offset < bytes.length) {
        const p = parseFramePacket(bytes, offset);
        first ??= p.params;
        payloads.push(p.payload.length);
        if (p.keyFrame) keys++;
        offset += p.byteLength;
      }
      lines.push(`${input}: semface frame packets v1 (CRC-32 ok), ${keys} key frames`);
      lines.push(...(first ? paramLines(first) : ['params:       none (no key frame)']));
    }
    lines.push(...sizeLines(bytes.length, payloads));
    if (values.frames) payloads.forEach((n, i) => lines.push(`  frame ${i}: ${n} bytes`));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
