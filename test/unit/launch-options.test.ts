import { describe, expect, it } from 'vitest';
import { composeOptionsOf, parseLaunchOptions } from '../../main/launch-options.js';

describe('what a launch asks of the composition root', () => {
  it('demo mode by default, with the stored settings left as they are', () => {
    expect(composeOptionsOf(parseLaunchOptions([]))).toEqual({ meter: 'demo', demoDays: 60, settingsOverrides: {} });
  });

  it('a meter, days and an endpoint given on the command line win for this run', () => {
    const argv = ['--meter', '/dev/ttyUSB0', '--demo-days', '3', '--rpc-url', 'https://rpc.example.org', '--contract', '0x' + '12'.repeat(20)];
    expect(composeOptionsOf(parseLaunchOptions(argv))).toEqual({
      meter: '/dev/ttyUSB0',
      demoDays: 3,
      settingsOverrides: { rpcUrl: 'https://rpc.example.org', contractAddress: '0x' + '12'.repeat(20) },
    });
  });
});
