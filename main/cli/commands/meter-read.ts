import { parseArgs } from 'node:util';
import { isError, WattletError } from '../../api/errors.js';
import { toHex } from '../../common/hex.js';
import { formatLine, parseFormat } from '../../meter/serial/line-settings.js';
import type { SerialPort } from '../../meter/serial/serial-port.js';
import { MeterDiscovery } from '../../meter/usb/discovery.js';
import { NodeUsbBackend } from '../../meter/usb/node-usb-backend.js';
import { isOsDevicePath, openMeterPort } from '../../meter/usb/open-meter-port.js';
import type { CliIO, Command } from '../command.js';
import { explainMeterError, type MeterCliDeps } from './meter-list.js';

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
  return {
    name: 'meter read',
    summary: 'print raw bytes from a meter adapter as hex',
    usage: USAGE,
    async run(args: string[], io: CliIO): Promise<number> {
      const { values } = parseArgs({
        args,
        strict: true,
        options: {
          device: { type: 'string' },
          baud: { type: 'string', default: '115200' },
          format: { type: 'string', default: '8N1' },
          seconds: { type: 'string', default: '10' },
          path: { type: 'string' },
        },
      });
      if (!values.device) {
        io.stderr(`wattlet: --device is required\n\n${USAGE}`);
        return 2;
      }
      const baud = Number(values.baud);
      const seconds = Number(values.seconds);
      if (!Number.isInteger(baud) || baud <= 0 || !(seconds > 0) || (values.path && values.path !== 'usb' && values.path !== 'os')) {
        io.stderr(`wattlet: --baud must be a positive integer, --seconds positive, --path usb or os\n\n${USAGE}`);
        return 2;
      }
      let settings;
      try {
        settings = parseFormat(baud, values.format);
      } catch (e) {
        io.stderr(`wattlet: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
      }
      const backend = deps.backend ? deps.backend() : new NodeUsbBackend();
      const discovery = new MeterDiscovery({ backend, ...(deps.platform ? { platform: deps.platform } : {}) });
      let port: SerialPort | null = null;
      try {
        port = await openMeterPort({
          discovery,
          selector: values.device,
          settings,
          ...(values.path ? { path: values.path as 'usb' | 'os' } : {}),
          ...(deps.listOsPorts ? { listOsPorts: deps.listOsPorts } : {}),
        });
        io.stderr(`Reading ${values.device} (${port.family}, ${port.path} path) at ${formatLine(settings)} for ${seconds} s\n`);
        let offset = 0;
        let pending: number[] = [];
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
        pending = [];
        const errs = port.stats.lineErrors;
        io.stderr(`${port.stats.bytesIn} bytes; line errors: overrun ${errs.overrun}, parity ${errs.parity}, framing ${errs.framing}, break ${errs.break}\n`);
        if (failure) throw failure;
        return 0;
      } catch (e) {
        if (isError(e)) {
          io.stderr(`wattlet: ${explainMeterError(e.toJSON())} [${e.code}]\n`);
          if (e.code === 'METER_NO_USB_SUBSYSTEM' && !isOsDevicePath(values.device)) {
            io.stderr('A serial device path (--device /dev/ttyUSB0) still works without USB access.\n');
          }
          return 1;
        }
        throw e instanceof Error ? e : new WattletError('INTERNAL', String(e));
      } finally {
        await port?.close();
        await discovery.dispose();
        await backend.dispose();
      }
    },
  };
}

export const meterRead = meterReadCommand();
