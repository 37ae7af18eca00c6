import type { Command } from './command.js';
import { commands } from './commands/index.js';

function helpText(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length), 4);
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `semface - semantic face codec and avatar relay\n\nUsage: semface <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'semface help <command>' for a command's options.\n`;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], list: readonly Command[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const target = rest[0] ? list.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(target ? `${target.usage}\n` : helpText(list));
    return 0;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`semface: unknown command '${name}'\n\n${helpText(list)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}
