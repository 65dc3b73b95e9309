import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isError } from '../api/errors.js';
import type { CliIO, Command } from './command.js';
import { explainError } from './explain-error.js';
import { UsageError } from './usage-error.js';

/** A command's option table, as node:util parseArgs takes it. */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** The options and positionals of one command line, typed from the command's option table. */
export type Parsed<O extends OptionTable> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>;

export interface CommandSpec<O extends OptionTable> {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: O;
  /** How many positionals the command takes (default none). */
  readonly positionals?: number;
  /** Exit status after a typed error the command leaves to this wrapper (default 1). */
  readonly errorExit?: number;
  run(parsed: Parsed<O>, io: CliIO): Promise<number>;
}

/**
 * A command with the parsing and error explaining every command shares: the options are parsed
 * strictly from the command's table; a UsageError or an unknown option prints the message and
 * the usage (exit 2); a typed error prints its explanation from the CLI's table and its code.
 */
export function defineCommand<const O extends OptionTable>(spec: CommandSpec<O>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args: string[], io: CliIO): Promise<number> {
      try {
        const parsed = parseArgs({ args, options: spec.options, strict: true, allowPositionals: true });
        const wanted = spec.positionals ?? 0;
        if (parsed.positionals.length !== wanted) {
          throw new UsageError(wanted === 0 ? `unexpected ${parsed.positionals.join(' ')}` : `expected ${wanted} argument(s), got ${parsed.positionals.length}`);
        }
        return await spec.run(parsed, io);
      } catch (e) {
        if (e instanceof UsageError || isParseArgsError(e)) {
          io.stderr(`wattlet ${spec.name}: ${(e as Error).message}\n\n${spec.usage.trimEnd()}\n`);
          return 2;
        }
        if (isError(e)) {
          io.stderr(`wattlet: ${explainError(e.toJSON())}\n`);
          return spec.errorExit ?? 1;
        }
        throw e;
      }
    },
  };
}

/** node:util parseArgs refuses unknown options, missing values and stray positionals with coded TypeErrors. */
function isParseArgsError(e: unknown): boolean {
  return e instanceof TypeError && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS_');
}
