import { isError } from '../api/errors.js';
import type { CliIO, Command } from './command.js';

export function usage(commands: readonly Command[]): string {
  const width = Math.max(10, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: wattlet <command> [options]',
    '',
    'Wattlet household energy wallet: command line for support staff and scripts.',
    '',
    'Commands:',
    ...(lines.length ? lines : ['  (none yet)']),
    '',
    'Options:',
    '  -h, --help     show help (also after a command: wattlet meter list --help)',
    '  --version      print the version',
    '',
  ].join('\n');
}

/** Picks the command whose words match the longest prefix of argv, so 'meter list' beats 'meter'. */
export function findCommand(commands: readonly Command[], argv: readonly string[]): { command: Command; rest: string[] } | null {
  let best: { command: Command; rest: string[] } | null = null;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

/**
 * Runs one CLI invocation; returns the exit code. Commands parse and explain their own input
 * (define-command.ts); what still escapes one prints as a message, never a stack.
 */
export async function runCli(argv: readonly string[], io: CliIO, commands: readonly Command[], version: string): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(usage(commands));
    return argv.length === 0 ? 1 : 0;
  }
  if (argv[0] === '--version') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const found = findCommand(commands, argv);
  if (!found) {
    io.stderr(`wattlet: unknown command '${argv.join(' ')}'\n\n${usage(commands)}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout(`${found.command.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (e) {
    if (isError(e)) {
      io.stderr(`wattlet: ${e.message} [${e.code}]\n`);
      return 1;
    }
    io.stderr(`wattlet: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
