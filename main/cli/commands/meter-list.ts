import type { OsSerialPortInfo, UsbDeviceInfo } from '../../api/meter.js';
import { listOsSerialPorts } from '../../meter/serial/os-serial-ports.js';
import { MeterDiscovery } from '../../meter/usb/discovery.js';
import { NodeUsbBackend } from '../../meter/usb/node-usb-backend.js';
import type { UsbBackend } from '../../meter/usb/usb-backend.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { explainError } from '../explain-error.js';

export interface MeterCliDeps {
  /** The real `usb` backend unless a test or demo gives a simulated bus. */
  readonly backend?: () => UsbBackend;
  readonly listOsPorts?: () => Promise<OsSerialPortInfo[]>;
  readonly platform?: NodeJS.Platform;
}

const USAGE = `Usage: wattlet meter list [--json]

Lists USB devices with their VID:PID, maker, product and serial number, the adapter family
Wattlet matched (or why none), and the path it will use: Wattlet's USB driver or the operating
system's serial port, and why. Also lists the OS serial ports.

Options:
  --json    print { usb, devices, serialPorts } as JSON

Exit status: 0 when USB is usable, 1 when it is not (the reason is printed).
`;

function table(devices: readonly UsbDeviceInfo[]): string {
  if (devices.length === 0) return 'No USB devices.\n';
  const out: string[] = [];
  for (const d of devices) {
    out.push(`${d.vidPid}  ${d.family ?? '-'}  ${d.path}  ${[d.manufacturer, d.product].filter(Boolean).join(' ') || '(no name)'}  serial ${d.serialNumber ?? '-'}  [${d.id}]`);
    out.push(`    family: ${d.familyReason}`);
    out.push(`    path:   ${d.pathReason}`);
  }
  return out.join('\n') + '\n';
}

export function meterListCommand(deps: MeterCliDeps = {}): Command {
  return defineCommand({
    name: 'meter list',
    summary: 'list USB meter adapters, their family and path',
    usage: USAGE,
    options: { json: { type: 'boolean', default: false } },
    async run({ values }, io) {
      const backend = deps.backend ? deps.backend() : new NodeUsbBackend();
      const discovery = new MeterDiscovery({ backend, ...(deps.platform ? { platform: deps.platform } : {}) });
      try {
        const usb = await discovery.status();
        const devices = usb.available ? await discovery.list() : [];
        const serialPorts = await (deps.listOsPorts ?? (() => listOsSerialPorts()))().catch(() => [] as OsSerialPortInfo[]);
        if (values.json) {
          io.stdout(JSON.stringify({ usb, devices, serialPorts }, null, 2) + '\n');
        } else {
          if (usb.problem) io.stderr(`wattlet: ${explainError(usb.problem)}\n`);
          else io.stdout(table(devices));
          io.stdout(serialPorts.length ? `Serial ports: ${serialPorts.map((p) => p.path).join(', ')}\n` : 'No OS serial ports.\n');
        }
        return usb.available ? 0 : 1;
      } finally {
        await discovery.dispose();
        await backend.dispose();
      }
    },
  });
}

export const meterList = meterListCommand();
