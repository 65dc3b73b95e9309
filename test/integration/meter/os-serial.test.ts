import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isError } from '../../../main/api/errors.js';
import { LINE_7E1_300, LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import { OsSerialPort } from '../../../main/meter/serial/os-serial.js';
import { requireSystemTools } from '../../support/system-tools.js';
import { dsmrLikeBlock, occurrences, PortReader } from '../../unit/meter/usb/port-reader.js';

/**
 * The OS serial path against real pseudo-terminals: socat links two ptys; one end is the meter
 * (pushing DSMR-like blocks), the other is what Wattlet opens through `serialport`'s native binding.
 */
describe('OS serial path over a socat pty pair', () => {
  let dir: string;
  let socat: ChildProcess;
  let hostPath: string;
  let meterPath: string;
  const opened: OsSerialPort[] = [];

  beforeAll(() => requireSystemTools('socat'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wattlet-pty-'));
    hostPath = join(dir, 'host');
    meterPath = join(dir, 'meter');
    socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${meterPath}`], { stdio: 'ignore' });
    const started = Date.now();
    while (!(existsSync(hostPath) && existsSync(meterPath))) {
      if (Date.now() - started > 5000) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  afterEach(async () => {
    for (const p of opened.splice(0)) await p.close();
    if (socat.exitCode === null) socat.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openPair(settings = LINE_8N1_115200) {
    const host = new OsSerialPort(hostPath);
    const meter = new OsSerialPort(meterPath);
    opened.push(host, meter);
    await host.open(settings);
    await meter.open(settings);
    return { host, meter, reader: new PortReader(host), meterReader: new PortReader(meter) };
  }

  it('reads a meter stream, writes back, and counts bytes', async () => {
    const { host, meter, reader, meterReader } = await openPair();
    expect(host.path).toBe('os');
    const block = dsmrLikeBlock();
    for (let i = 0; i < 3; i++) await meter.write(block);
    await reader.until(() => occurrences(reader.text(), '!1A2B') >= 3);
    expect(reader.text()).toBe(new TextDecoder().decode(block).repeat(3));
    expect(host.stats.bytesIn).toBe(block.length * 3);
    await host.write(new TextEncoder().encode('/?!\r\n'));
    await meterReader.until(() => meterReader.text() === '/?!\r\n');
    expect(host.stats.bytesOut).toBe(5);
  });

  it('changes speed on the open port and reopens for a format change', async () => {
    const { host, meter, reader } = await openPair(LINE_7E1_300);
    await host.setLineSettings({ ...LINE_7E1_300, baudRate: 9600 });
    expect(host.settings?.baudRate).toBe(9600);
    await host.setLineSettings(LINE_8N1_115200);
    expect(host.settings).toEqual(LINE_8N1_115200);
    // A pty carries bytes whatever the termios speed; what matters is the port still works.
    const r2 = new PortReader(host);
    await meter.write(dsmrLikeBlock());
    await r2.until(() => r2.text().includes('!1A2B'));
    reader.dispose();
    // ptys may refuse modem-line ioctls: a refusal must arrive as a coded error, never a raw one.
    const outcome = await host.setSignals({ dtr: true, rts: true }).then(
      () => 'ok',
      (e: unknown) => (isError(e) ? 'coded' : 'raw'),
    );
    expect(['ok', 'coded']).toContain(outcome);
  });

  it('reports the device gone when the other side disappears', async () => {
    const { reader } = await openPair();
    // The other side is gone once socat has exited (its pty masters closed), not when asked to.
    const exited = new Promise((r) => socat.once('exit', r));
    socat.kill('SIGKILL');
    await exited;
    await reader.until(() => reader.errors.length > 0, 15_000);
    expect(isError(reader.errors[0], 'METER_DEVICE_GONE')).toBe(true);
  });

  it('answers METER_DEVICE_NOT_FOUND for a path that does not exist', async () => {
    const port = new OsSerialPort(join(dir, 'nope'));
    await expect(port.open(LINE_8N1_115200)).rejects.toSatisfy((e: unknown) => isError(e, 'METER_DEVICE_NOT_FOUND'));
    await expect(port.write(Uint8Array.of(1))).rejects.toSatisfy((e: unknown) => isError(e, 'METER_PORT_NOT_OPEN'));
  });
});
