import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WattletError } from '../../../main/api/errors.js';
import { meterErrorCodes } from '../../../main/api/meter.js';
import type { CliIO } from '../../../main/cli/command.js';
import { operatorCommand } from '../../../main/cli/commands/operator.js';
import { defineCommand } from '../../../main/cli/define-command.js';
import { explainError } from '../../../main/cli/explain-error.js';
import { errorText } from '../../../main/cli/text/index.js';
import { oneOf, positiveNumber, requireOptions, wholeNumber } from '../../../main/cli/usage-error.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: Readable.from([]), env: {} };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

const USAGE = 'Usage: wattlet sample --count N [--mode fast|slow] FILE\n';

/** A command built on the shared parser, recording what it was given. */
function sample(fail?: () => never, errorExit?: number) {
  const seen: Array<{ count: number; mode: string; file: string }> = [];
  const command = defineCommand({
    name: 'sample',
    summary: 'a sample',
    usage: USAGE,
    options: { count: { type: 'string' }, mode: { type: 'string', default: 'fast' } },
    positionals: 1,
    ...(errorExit !== undefined ? { errorExit } : {}),
    async run({ values, positionals }, io) {
      requireOptions(values, ['count']);
      const count = wholeNumber(values.count!, 'count', 1, 10);
      const mode = oneOf(values.mode, 'mode', ['fast', 'slow']);
      fail?.();
      seen.push({ count, mode, file: positionals[0]! });
      io.stdout('done\n');
      return 0;
    },
  });
  return { command, seen };
}

describe('the shared command-line parser', () => {
  it('hands the command its typed options and positionals', async () => {
    const { command, seen } = sample();
    const t = io();
    expect(await command.run(['--count', '3', '--mode', 'slow', 'a.csv'], t.value)).toBe(0);
    expect(seen).toEqual([{ count: 3, mode: 'slow', file: 'a.csv' }]);
    expect(t.out()).toBe('done\n');
  });

  it.each([
    [['a.csv'], 'wattlet sample: missing --count'],
    [['--count', '11', 'a.csv'], '--count must be a whole number from 1 to 10, got 11'],
    [['--count', '2.5', 'a.csv'], '--count must be a whole number from 1 to 10, got 2.5'],
    [['--count', '2', '--mode', 'warp', 'a.csv'], '--mode must be fast, slow; got warp'],
    [['--count', '2'], 'expected 1 argument(s), got 0'],
    [['--count', '2', 'a.csv', 'b.csv'], 'expected 1 argument(s), got 2'],
    [['--count', '2', '--colour', 'a.csv'], "Unknown option '--colour'"],
    [['--count'], "Option '--count <value>' argument missing"],
  ])('refuses %j with what is wrong and the usage, exit 2, running nothing', async (args, message) => {
    const { command, seen } = sample();
    const t = io();
    expect(await command.run(args, t.value)).toBe(2);
    expect(t.err()).toContain(message);
    expect(t.err().endsWith(USAGE)).toBe(true);
    expect(t.out()).toBe('');
    expect(seen).toEqual([]);
  });

  it('explains a typed error from the CLI table, with its code, no stack, and the command’s exit status', async () => {
    const gone = () => {
      throw new WattletError('METER_DEVICE_GONE', 'transfer failed: LIBUSB_ERROR_NO_DEVICE', { operation: 'bulk in' });
    };
    const t = io();
    expect(await sample(gone).command.run(['--count', '1', 'x'], t.value)).toBe(1);
    expect(t.err()).toBe('wattlet: The meter adapter was unplugged or stopped answering during bulk in. Plug it back in and run the command again. [METER_DEVICE_GONE]\n');
    const u = io();
    expect(await sample(gone, 2).command.run(['--count', '1', 'x'], u.value)).toBe(2);
  });

  it('prints the error’s own message for a code the CLI has no words for', () => {
    expect(explainError({ code: 'HISTORY_RANGE_INVALID', message: 'Cannot read the date "x"', facts: {} })).toBe('Cannot read the date "x" [HISTORY_RANGE_INVALID]');
  });

  it('leaves an error that is not typed to run-cli (it is a bug, not a usage)', async () => {
    const bug = () => {
      throw new RangeError('index out of range');
    };
    await expect(sample(bug).command.run(['--count', '1', 'x'], io().value)).rejects.toThrow('index out of range');
  });

  it('checks numbers as the usages say them', () => {
    expect(wholeNumber('0', 'depth', 0)).toBe(0);
    expect(() => wholeNumber('-1', 'depth', 0)).toThrow('--depth must be a whole number of at least 0, got -1');
    expect(positiveNumber('0.5', 'seconds')).toBe(0.5);
    for (const bad of ['0', '-2', 'soon', 'Infinity']) expect(() => positiveNumber(bad, 'seconds'), bad).toThrow('--seconds must be a number above 0');
  });

  it('has words for every meter error the meter commands can meet', () => {
    expect(meterErrorCodes.filter((c) => !errorText[c])).toEqual([]);
  });

  it('operator demo refuses a bad --differ or --days before it starts a chain', async () => {
    const a = io();
    expect(await operatorCommand().run(['--differ', '2024-01-01:99:5', '--once'], a.value)).toBe(2);
    expect(a.err()).toContain('--differ wants YYYY-MM-DD:INDEX:WH, got 2024-01-01:99:5');
    const b = io();
    expect(await operatorCommand().run(['--days', '0', '--once'], b.value)).toBe(2);
    expect(b.err()).toContain('--days must be a whole number from 1 to 800');
    expect(a.out() + b.out()).toBe('');
  });
});
