import { toHex } from '../../common/hex.js';
import { formatLine, parseFormat } from '../../meter/serial/line-settings.js';
import type { SerialPort } from '../../meter/serial/serial-port.js';
import { MeterDiscovery } from '../../meter/usb/discovery.js';
import { NodeUsbBackend } from '../../meter/usb/node-usb-backend.js';
import { openMeterPort } from '../../meter/usb/open-meter-port.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { oneOf, positiveNumber, requireOptions, UsageError, wholeNumber } from '../usage-error.js';
import type { MeterCliDeps } from './meter-list.js';

const USAGE = `Usage: wattlet meter read --device <serial|vid:pid|/dev/ttyX|COMn> [--baud N] [--format 8N1|7E1] [--seconds S] [--path usb|os]

Opens the meter adapter and prints the raw bytes it receives as hex with ASCII, for support.

Options:
  --device D    USB serial number, vid:pid (first match), or an OS serial device
  --baud N      line speed (default 115200; IEC 62056-21 sign-on is 300)
  --format F    data bits, parity, stop bits: 8N1 (default), 7E1, …
  --seconds S   how long to read (default 10)
  --path P      force Wattlet's USB driver (usb) or the OS serial port (os)
`;

/** One hexdump line: offset, 16 bytes in hex, printable ASCII. */
export function hexLine(offset: number, bytes: Uint8Array): string {
  const hex = toHex(bytes, ' ');
  const ascii = Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`;
}

export function meterReadCommand(deps: MeterCliDeps = {}): Command {
  return defineCommand({
    name: 'meter read',
    summary: 'print raw bytes from a meter adapter as hex',
    usage: USAGE,
    options: {
      device: { type: 'string' },
      baud: { type: 'string', default: '115200' },
      format: { type: 'string', default: '8N1' },
      seconds: { type: 'string', default: '10' },
      path: { type: 'string' },
    },
    async run({ values }, io) {
      requireOptions(values, ['device']);
      const device = values.device!;
      const seconds = positiveNumber(values.seconds, 'seconds');
      const path = values.path === undefined ? undefined : oneOf(values.path, 'path', ['usb', 'os']);
      let settings;
      try {
        settings = parseFormat(wholeNumber(values.baud, 'baud', 1), values.format);
      } catch (e) {
        throw e instanceof UsageError ? e : new UsageError(e instanceof Error ? e.message : String(e));
      }
      const backend = deps.backend ? deps.backend() : new NodeUsbBackend();
      const discovery = new MeterDiscovery({ backend, ...(deps.platform ? { platform: deps.platform } : {}) });
      let port: SerialPort | null = null;
      try {
        port = await openMeterPort({
          discovery,
          selector: device,
          settings,
          ...(path ? { path } : {}),
          ...(deps.listOsPorts ? { listOsPorts: deps.listOsPorts } : {}),
        });
        io.stderr(`Reading ${device} (${port.family}, ${port.path} path) at ${formatLine(settings)} for ${seconds} s\n`);
        let offset = 0;
        const pending: number[] = [];
        const flush = (all: boolean) => {
          while (pending.length >= 16 || (all && pending.length > 0)) {
            const line = Uint8Array.from(pending.splice(0, 16));
            io.stdout(hexLine(offset, line) + '\n');
            offset += line.length;
          }
        };
        port.onData((chunk) => {
          pending.push(...chunk);
          flush(false);
        });
        const failure = await new Promise<Error | null>((resolve) => {
          const timer = setTimeout(() => resolve(null), seconds * 1000);
          port!.onError((e) => {
            clearTimeout(timer);
            resolve(e);
          });
        });
        flush(true);
        const errs = port.stats.lineErrors;
        io.stderr(`${port.stats.bytesIn} bytes; line errors: overrun ${errs.overrun}, parity ${errs.parity}, framing ${errs.framing}, break ${errs.break}\n`);
        if (failure) throw failure;
        return 0;
      } finally {
        await port?.close();
        await discovery.dispose();
        await backend.dispose();
      }
    },
  });
}

export const meterRead = meterReadCommand();
