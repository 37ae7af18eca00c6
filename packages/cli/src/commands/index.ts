import type { Command } from '../command.js';

// Each command lives in its own file; adding one is one import and one entry here.
export const commands: readonly Command[] = [];
