import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { meterListCommand } from '../../../main/cli/commands/meter-list.js';
import { hexLine, meterReadCommand } from '../../../main/cli/commands/meter-read.js';
import type { CliIO } from '../../../main/cli/command.js';
import { LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import { OsSerialPort } from '../../../main/meter/serial/os-serial.js';
import { RepeatingLineMeter } from '../../../main/meter/sim/adapters/repeating-line-meter.js';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { NodeUsbBackend } from '../../../main/meter/usb/node-usb-backend.js';
import { dsmrLikeBlock } from '../../unit/meter/usb/port-reader.js';

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: new PassThrough(), env: {} };
}

describe('wattlet meter list / meter read', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  it('meter list exits non-zero with the clear no-USB message on a machine without /sys/bus/usb', async () => {
    const t = io();
    const code = await meterListCommand({ backend: () => new NodeUsbBackend({ sysfsUsbPath: '/nonexistent/usb' }), listOsPorts: async () => [] }).run([], t);
    expect(code).toBe(1);
    expect(t.err.join('')).toMatch(/no access to USB.*\[METER_NO_USB_SUBSYSTEM\]/s);
    const j = io();
    expect(await meterListCommand({ backend: () => new NodeUsbBackend({ sysfsUsbPath: '/nonexistent/usb' }), listOsPorts: async () => [] }).run(['--json'], j)).toBe(1);
    expect(JSON.parse(j.out.join('')).usb.problem.code).toBe('METER_NO_USB_SUBSYSTEM');
  });

  it('meter list shows family, path and reasons for simulated adapters', async () => {
    const backend = new SimulatedUsbBackend();
    backend.plug(new SimulatedFtdi({ serialNumber: 'P1CABLE' }));
    const t = io();
    expect(await meterListCommand({ backend: () => backend, platform: 'linux', listOsPorts: async () => [] }).run([], t)).toBe(0);
    expect(t.out.join('')).toMatch(/0403:6001 {2}ftdi {2}usb {2}FTDI FT232R USB UART {2}serial P1CABLE/);
    expect(t.out.join('')).toMatch(/path: {3}Linux: the kernel serial driver is detached/);
  });

  it('meter read prints a simulated FTDI cable\'s bytes as hex with ASCII', async () => {
    const backend = new SimulatedUsbBackend();
    const cable = new SimulatedFtdi({ serialNumber: 'P1CABLE' });
    const meter = new RepeatingLineMeter({ message: dsmrLikeBlock(), settings: LINE_8N1_115200, periodMs: 20 });
    cable.connectMeter(meter);
    backend.plug(cable);
    const t = io();
    const code = await meterReadCommand({ backend: () => backend }).run(['--device', 'P1CABLE', '--baud', '115200', '--format', '8N1', '--seconds', '0.3'], t);
    expect(code).toBe(0);
    const out = t.out.join('');
    expect(out).toContain(hexLine(0, dsmrLikeBlock().subarray(0, 16)));
    expect(out).toMatch(/^00000010 {2}/m);
    expect(t.err.join('')).toMatch(/ftdi, usb path.*115200 8N1/);
    meter.detach();
  });

  it('meter read reads an OS serial device (pty) and reports a bad format as usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattlet-cli-pty-'));
    const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${dir}/host`, `pty,raw,echo=0,link=${dir}/meter`], { stdio: 'ignore' });
    cleanup.push(() => {
      socat.kill();
      rmSync(dir, { recursive: true, force: true });
    });
    while (!existsSync(`${dir}/host`) || !existsSync(`${dir}/meter`)) await new Promise((r) => setTimeout(r, 20));
    const meterEnd = new OsSerialPort(`${dir}/meter`);
    await meterEnd.open(LINE_8N1_115200);
    const timer = setInterval(() => void meterEnd.write(new TextEncoder().encode('/?!\r\n')), 50);
    cleanup.push(() => clearInterval(timer));
    const t = io();
    const code = await meterReadCommand({ backend: () => new SimulatedUsbBackend({ noSubsystem: true }) }).run(['--device', `${dir}/host`, '--seconds', '0.4'], t);
    clearInterval(timer);
    await meterEnd.close();
    expect(code).toBe(0);
    expect(t.out.join('')).toContain('2f 3f 21 0d 0a');
    const bad = io();
    expect(await meterReadCommand().run(['--device', 'X', '--format', '9Z1'], bad)).toBe(2);
  });
});
