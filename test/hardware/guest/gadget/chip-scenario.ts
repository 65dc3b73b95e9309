import { spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { formatLine, type LineSettings } from '../../../../main/meter/serial/line-settings.js';
import { run, sleep, ttyDriver, waitFor, waitForPath } from '../linux.js';
import { CHIP_STEPS } from '../plan.js';
import { emit, parseReportLine, REPORT_PREFIX, type GuestEvent } from '../report.js';
import { CHIPS, type ChipName } from './chips.js';
import type { ConfigfsGadget } from './configfs.js';

export const FFS_DIR = '/dev/ffs-chip';
const TTY = '/dev/ttyUSB0';

/** A test pattern the line can carry in 7 data bits (the 300 7E1 step). */
function pattern(line: LineSettings): Uint8Array {
  return new TextEncoder().encode(`WATTLET ${formatLine(line)} 0123456789 abcdefghijklmnopqrstuvwxyz ~!@#$%^&*()\r\n`);
}

function text(b: Uint8Array): string {
  return Array.from(b, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('');
}

/** Everything the tty has for us until `want` bytes or `ms` (the fd is non-blocking). */
async function readBack(fd: number, want: number, ms: number): Promise<Uint8Array> {
  const out: number[] = [];
  const buf = Buffer.alloc(256);
  const deadline = Date.now() + ms;
  while (out.length < want && Date.now() < deadline) {
    try {
      const n = readSync(fd, buf, 0, buf.length, null);
      out.push(...buf.subarray(0, n));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      await sleep(20);
    }
  }
  return Uint8Array.from(out);
}

/**
 * One simulated chip against Linux's driver for it: the chip's responder (a child process
 * running the project's simulator behind FunctionFS) is plugged in, Linux binds ch341 / cp210x /
 * pl2303 and makes /dev/ttyUSB0, and `stty` sets it to each of CHIP_STEPS while the tty is held
 * open. After each step the simulator must have decoded exactly those settings from Linux's
 * requests, and a pattern written to the tty must come back unharmed from an echo peer set to
 * the asked settings (a wrong decode garbles it in the project's UART model, both ways).
 */
export async function chipScenario(chip: ChipName, gadget: ConfigfsGadget): Promise<boolean> {
  const spec = CHIPS[chip];
  const d = spec.make().descriptor;
  gadget.identify({
    vendorId: d.vendorId,
    productId: d.productId,
    bcdDevice: d.bcdDevice,
    deviceClass: d.deviceClass,
    manufacturer: d.manufacturer,
    product: d.product,
    serialNumber: d.serialNumber,
  });
  const child = spawn(process.execPath, [process.argv[1]!, '--responder', chip, FFS_DIR], { stdio: ['pipe', 'pipe', 'inherit'] });
  const seen: GuestEvent[] = [];
  let waiter: (() => void) | null = null;
  createInterface({ input: child.stdout }).on('line', (l) => {
    process.stdout.write(l.includes(REPORT_PREFIX) ? `${l}\n` : `[responder] ${l}\n`);
    const e = parseReportLine(l);
    if (e) {
      seen.push(e);
      waiter?.();
    }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const until = async (what: string, pred: (e: GuestEvent) => boolean, ms: number): Promise<GuestEvent> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = seen.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the ${chip} responder's ${what}`);
      await Promise.race([new Promise<void>((r) => (waiter = r)), sleep(Math.min(500, Math.max(1, deadline - Date.now())))]);
    }
  };
  let fd: number | null = null;
  let ok = true;
  try {
    await until('ffs-ready', (e) => e.event === 'log' && e.message === `ffs-ready ${chip}`, 60_000);
    gadget.bind();
    await waitForPath(TTY, 30_000);
    const driver = await waitFor('the tty driver', () => ttyDriver('ttyUSB0'), 5_000);
    emit({ event: 'kernel', what: 'tty', detail: `ttyUSB0 bound to ${driver}` });
    if (driver !== spec.driver) throw new Error(`ttyUSB0 is driven by ${driver}, expected ${spec.driver}`);
    // Held open for all steps: a close would run the driver's close path (CP210x disables its
    // UART) between the steps. Non-blocking: no wait for a carrier the chip does not report.
    fd = openSync(TTY, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    for (const step of CHIP_STEPS) {
      const asked = formatLine(step.line);
      const peerAck = seen.length;
      child.stdin.write(`${JSON.stringify({ peer: step.line })}\n`);
      await until('peer change', (e) => seen.indexOf(e) >= peerAck && e.event === 'log' && e.message === `peer at ${asked}`, 10_000);
      const stepStart = seen.length;
      await run('stty', ['-F', TTY, 'raw', '-echo', 'clocal', ...step.stty]);
      // The driver's control requests have completed when stty returns; the simulator's report
      // of its settings may still be in the pipe.
      const decodedEvent = await until(`decode of ${asked}`, (e) => seen.indexOf(e) >= stepStart && e.event === 'chip-line' && e.line === asked, 3_000).catch(() => null);
      const last = [...seen].reverse().find((e): e is Extract<GuestEvent, { event: 'chip-line' }> => e.event === 'chip-line');
      await readBack(fd, 1 << 16, 200); // nothing stale from the previous step
      const sent = pattern(step.line);
      writeSync(fd, sent);
      const echoed = await readBack(fd, sent.length, 5_000);
      emit({
        event: 'chip-step',
        chip,
        driver,
        asked,
        decoded: decodedEvent && decodedEvent.event === 'chip-line' ? decodedEvent.line : last?.line ?? null,
        decodedBaud: last?.baudRate ?? null,
        sent: text(sent),
        echoed: text(echoed),
      });
      ok &&= decodedEvent !== null && text(echoed) === text(sent);
    }
  } finally {
    if (fd !== null) closeSync(fd);
    gadget.unbind();
    await waitFor(`${TTY} to go`, () => !existsSync(TTY), 15_000).catch(() => undefined);
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
  }
  return ok;
}
