import type { Command } from '../command.js';
import { bridgeCommand } from './bridge.js';
import { decodeCommand } from './decode.js';
import { demoCommand } from './demo.js';
import { encodeCommand } from './encode.js';
import { evalCommand } from './eval.js';
import { extractCommand } from './extract.js';
import { inspectCommand } from './inspect.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';

// Each command lives in its own file; adding one is one import and one entry here.
export const commands: readonly Command[] = [
  encodeCommand,
  decodeCommand,
  demoCommand,
  extractCommand,
  evalCommand,
  inspectCommand,
  serveCommand,
  tokenCommand,
  bridgeCommand,
];
