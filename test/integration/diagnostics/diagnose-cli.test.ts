import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose, diagnoseCommand, EXIT_BLOCKING } from '../../../main/cli/commands/diagnose.js';
import type { CliIO } from '../../../main/cli/command.js';
import { runCli } from '../../../main/cli/run-cli.js';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';

const dir = mkdtempSync(join(tmpdir(), 'wattlet-diagnose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: process.stdin, env: { WATTLET_DATA_DIR: join(dir, 'data') } };
}

describe('wattlet diagnose', () => {
  it('on this machine (no /sys/bus/usb, real `usb` backend): prints the finding and exits non-zero', async () => {
    const x = io();
    const code = await runCli(['diagnose'], x, [diagnose], '0.1.0');
    expect(code).toBe(EXIT_BLOCKING);
    const text = x.out.join('');
    expect(text).toContain('[BLOCKING] This computer gives programs no access to USB');
    expect(text).toContain('What to do:');
  });

  it('--json prints the findings object', async () => {
    const x = io();
    const code = await diagnoseCommand({ backend: () => new SimulatedUsbBackend({ noSubsystem: true }), serialPorts: async () => [] }).run(['--json'], x);
    expect(code).toBe(EXIT_BLOCKING);
    const parsed = JSON.parse(x.out.join('')) as { blocking: boolean; findings: Array<{ code: string }> };
    expect(parsed.blocking).toBe(true);
    expect(parsed.findings[0]!.code).toBe('NO_USB_SUBSYSTEM');
  });

  it('with a healthy simulated meter and --probe: exits 0, and --bundle writes a redacted gzip bundle', async () => {
    const backend = new SimulatedUsbBackend();
    const adapter = new SimulatedFtdi({ serialNumber: 'FT9SECRETSN' });
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100, equipmentId: 'E0025000555444333' });
    adapter.connectMeter(meter);
    backend.plug(adapter);
    const x = io();
    const file = join(dir, 'bundle.json.gz');
    const code = await diagnoseCommand({ backend: () => backend, serialPorts: async () => [], detectOptions: { listenMs: 700, probeMs: 300 }, platform: 'linux' }).run(['--probe', '--bundle', file], x);
    meter.detach();
    const text = x.out.join('');
    expect(text).toContain('[OK] The auto-probe found the meter');
    expect(code).toBe(0);
    expect(x.err.join('')).toContain('Support bundle written');
    const json = gunzipSync(readFileSync(file)).toString('utf8');
    const bundle = JSON.parse(json) as { frames: Array<{ decoded: string | null }>; probe: { found: unknown } };
    expect(bundle.probe.found).toEqual({ protocol: 'dsmr', line: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } });
    expect(bundle.frames.length).toBeGreaterThan(0);
    for (const secret of ['FT9SECRETSN', 'E0025000555444333', Buffer.from('E0025000555444333').toString('hex').toUpperCase()]) expect(json).not.toContain(secret);
  });

  it('permission denied on a simulated adapter: prints the exact udev command', async () => {
    class NoPermission extends SimulatedFtdi {
      override async open(): Promise<void> {
        throw new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)');
      }
    }
    const backend = new SimulatedUsbBackend();
    backend.plug(new NoPermission({ serialNumber: 'X1' }));
    const x = io();
    const code = await diagnoseCommand({ backend: () => backend, serialPorts: async () => [], platform: 'linux', udevRulePath: '/opt/Wattlet/resources/udev/99-wattlet.rules' }).run([], x);
    expect(code).toBe(EXIT_BLOCKING);
    expect(x.out.join('')).toContain('$ sudo cp /opt/Wattlet/resources/udev/99-wattlet.rules /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger');
  });

  it('rejects a bad --minutes', async () => {
    const x = io();
    expect(await diagnoseCommand({ backend: () => new SimulatedUsbBackend(), serialPorts: async () => [] }).run(['--minutes', 'lots'], x)).toBe(2);
  });
});
