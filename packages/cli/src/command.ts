/** One `semface` sub-command. */
export interface Command {
  /** Name typed after `semface`. */
  readonly name: string;
  /** One-line summary shown by `semface help`. */
  readonly summary: string;
  /** Full usage text shown by `semface help <name>`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}
