import { describe, expect, it } from 'vitest';
import { electronLaunchArgv, switchName } from '../../../main/app/launch-argv.js';
import { parseLaunchOptions } from '../../../main/launch-options.js';

const EXE = '/opt/Wattlet/wattlet';
const DEV = ['/work/node_modules/electron/dist/electron'];

describe('electronLaunchArgv in development (`electron out/main/electron.js …`)', () => {
  it('drops the app path and gives Wattlet its own options', () => {
    expect(electronLaunchArgv([...DEV, 'out/main/electron.js', '--meter', 'demo', '--data-dir', '/tmp/w'], false)).toEqual({
      ok: true,
      args: ['--meter', 'demo', '--data-dir', '/tmp/w'],
    });
  });

  it('lets the inspector and remote debugging through to the runtime, wherever they stand', () => {
    const argv = electronLaunchArgv([...DEV, '--inspect=9229', 'out/main/electron.js', '--remote-debugging-port=9222', '--meter', 'demo', '--inspect-port', '9230'], false);
    expect(argv).toEqual({ ok: true, args: ['--meter', 'demo'] });
    // …and what is left parses as Wattlet's options (the old filter left the app path in).
    if (argv.ok) expect(parseLaunchOptions(argv.args).meter).toBe('demo');
  });
});

describe('electronLaunchArgv in a packaged app: the fuse turns the inspector off, Wattlet says so', () => {
  it('passes ordinary options', () => {
    expect(electronLaunchArgv([EXE, '--meter', '/dev/ttyUSB0', '--no-open'], true)).toEqual({ ok: true, args: ['--meter', '/dev/ttyUSB0', '--no-open'] });
    expect(electronLaunchArgv([EXE], true)).toEqual({ ok: true, args: [] });
  });

  it.each([
    [['--inspect']],
    [['--inspect=0.0.0.0:9229']],
    [['--inspect-brk']],
    [['--inspect-brk=9229']],
    [['--inspect-wait']],
    [['--inspect_brk']],
    [['--inspect-port=9230']],
    [['--inspect-port', '9230']],
    [['--debug-port=5858']],
    [['--remote-debugging-port=9222']],
    [['-remote-debugging-port=9222']],
    [['--remote-debugging-pipe']],
    [['--Remote-Debugging-Port=9222']],
  ])('refuses %j', (switches) => {
    const argv = electronLaunchArgv([EXE, '--meter', 'demo', ...switches], true);
    expect(argv.ok).toBe(false);
    if (!argv.ok) {
      expect(argv.refused).toEqual(switches);
      expect(argv.message).toContain(switches[0]);
    }
  });

  it('takes the inspector port’s separate value with the switch, not as Wattlet’s argument', () => {
    expect(electronLaunchArgv([...DEV, 'app', '--inspect-port', '9230', '--no-open'], false)).toEqual({ ok: true, args: ['--no-open'] });
    // a following switch is not a value
    expect(electronLaunchArgv([...DEV, 'app', '--inspect-port', '--no-open'], false)).toEqual({ ok: true, args: ['--no-open'] });
  });

  it('does not mistake Wattlet’s own options or values for debugging switches', () => {
    expect(electronLaunchArgv([EXE, '--data-dir', '/home/a/--inspect', '--rpc-url', 'http://127.0.0.1:8545/inspect'], true)).toEqual({
      ok: true,
      args: ['--data-dir', '/home/a/--inspect', '--rpc-url', 'http://127.0.0.1:8545/inspect'],
    });
  });
});

describe('switchName', () => {
  it.each([
    ['--inspect', 'linux', 'inspect'],
    ['--inspect=9229', 'linux', 'inspect'],
    ['-remote-debugging-port=1', 'linux', 'remote-debugging-port'],
    ['--INSPECT_BRK', 'linux', 'inspect-brk'],
    ['/remote-debugging-port=1', 'win32', 'remote-debugging-port'],
    ['/remote-debugging-port=1', 'linux', null],
    ['/dev/ttyUSB0', 'linux', null],
    ['demo', 'linux', null],
    ['-', 'linux', null],
    ['--', 'linux', null],
  ] as const)('%s on %s → %s', (arg, platform, name) => expect(switchName(arg, platform)).toBe(name));
});
