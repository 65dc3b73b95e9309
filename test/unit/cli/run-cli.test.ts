import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WattletError } from '../../../main/api/errors.js';
import type { CliIO, Command } from '../../../main/cli/command.js';
import { runCli } from '../../../main/cli/run-cli.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: Readable.from([]), env: {} };
  return { value, out, err };
}

const ran: string[][] = [];
const commands: Command[] = [
  { name: 'meter', summary: 'meter things', usage: 'wattlet meter', run: async (a) => (ran.push(['meter', ...a]), 0) },
  { name: 'meter list', summary: 'list meters', usage: 'wattlet meter list [--json]', run: async (a) => (ran.push(['list', ...a]), 0) },
  {
    name: 'fail',
    summary: 'fails',
    usage: 'wattlet fail',
    run: async () => {
      throw new WattletError('METER_NO_USB_SUBSYSTEM', 'This system has no USB subsystem');
    },
  },
];

describe('runCli', () => {
  it('prints help listing every command', async () => {
    const { value, out } = io();
    expect(await runCli(['--help'], value, commands, '1.0.0')).toBe(0);
    expect(out.join('')).toContain('meter list');
    expect(out.join('')).toContain('list meters');
  });

  it('picks the longest matching command and passes the rest', async () => {
    ran.length = 0;
    const { value } = io();
    await runCli(['meter', 'list', '--json'], value, commands, '1');
    expect(ran).toEqual([['list', '--json']]);
  });

  it('shows a command usage for --help after it', async () => {
    const { value, out } = io();
    expect(await runCli(['meter', 'list', '--help'], value, commands, '1')).toBe(0);
    expect(out.join('')).toContain('wattlet meter list [--json]');
  });

  it('prints a typed error as one clear line, no stack, exit 1', async () => {
    const { value, err } = io();
    expect(await runCli(['fail'], value, commands, '1')).toBe(1);
    expect(err.join('')).toBe('wattlet: This system has no USB subsystem [METER_NO_USB_SUBSYSTEM]\n');
  });

  it('exits 2 for an unknown command', async () => {
    const { value, err } = io();
    expect(await runCli(['nope'], value, commands, '1')).toBe(2);
    expect(err.join('')).toContain("unknown command 'nope'");
  });
});
