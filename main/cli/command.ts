/** What a CLI command may touch: its arguments and three streams, injected so tests capture them. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: NodeJS.ReadableStream;
  /** Environment (WATTLET_DATA_DIR …); tests pass their own. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * One `wattlet` subcommand. `name` is the words that select it ('meter list', 'ledger verify').
 * `run` returns the exit code; it prints clear messages, never a stack trace, for WattletErrors.
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full usage text shown by `wattlet <name> --help`. */
  readonly usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}
