import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagnosticsSnapshot, Finding } from '../../api/diagnostics.js';
import { WattletError } from '../../api/errors.js';
import type { OsSerialPortInfo } from '../../api/meter.js';
import { appVersion, projectRoot } from '../../app-paths.js';
import { DetectProber, DiagnosticsService, FrameLog, RecentErrors, usbListingFromBackend } from '../../diagnostics/index.js';
import { detectMeter, type DetectOptions } from '../../meter/detect/index.js';
import { formatLine } from '../../meter/index.js';
import { listOsSerialPorts } from '../../meter/serial/os-serial-ports.js';
import { MeterDiscovery } from '../../meter/usb/discovery.js';
import { NodeUsbBackend, usbSerialPort, type UsbBackend } from '../../meter/usb/index.js';
import { defaultDataDir } from '../../settings/data-dir.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { diagnoseText as text, fill } from '../text/index.js';
import { wholeNumber } from '../usage-error.js';

export interface DiagnoseDeps {
  /** The USB backend to diagnose; the real one (`usb`) unless a test gives a simulated bus. */
  readonly backend?: () => UsbBackend;
  readonly serialPorts?: () => Promise<readonly OsSerialPortInfo[]>;
  readonly platform?: string;
  readonly udevRulePath?: string;
  /** Detector timing (tests shorten it); the detector's own defaults otherwise. */
  readonly detectOptions?: Omit<DetectOptions, 'signal' | 'onAttempt'>;
}

/** Exit code when a blocking finding exists: distinct from 1 (an error) and 2 (usage). */
export const EXIT_BLOCKING = 3;

const USAGE = `Usage: wattlet diagnose [--probe] [--bundle FILE] [--minutes N] [--json]

Runs the checks of the Diagnostics page without a window and prints the findings in plain
language: USB access, permissions (with the exact udev command), the adapters found, and with
--probe what the meter says at the usual settings.

Options:
  --probe          auto-probe the first adapter: listen for DSMR and SML, then send the
                   read-only discovery request of IEC 62056-21, DL/T 645 and Modbus
  --bundle FILE    also write the redacted support bundle to FILE (gzip when FILE ends in .gz)
  --minutes N      minutes of frames in the bundle (default 10)
  --json           print findings as JSON instead of text

Exit status: 0 no blocking problem, ${EXIT_BLOCKING} a blocking problem was found, 1 an error.
`;

/** The findings in plain English for a terminal (the CLI's own table). */
export function findingsText(findings: readonly Finding[]): string {
  const codes: Readonly<Record<string, { title: string; detail: string; action: string } | undefined>> = text.codes;
  const lines: string[] = [];
  for (const f of findings) {
    const t = codes[f.code];
    const label = text.severity[f.severity];
    lines.push(`[${label}] ${t ? fill(t.title, f.facts) : f.code}`);
    if (t) {
      lines.push(`    ${fill(t.detail, f.facts)}`);
      if (typeof f.facts['suggestedLine'] === 'string' && f.facts['suggestedLine']) lines.push(`    ${fill(text.suggest, f.facts)}`);
      lines.push(`    ${text.whatToDo}: ${fill(t.action, f.facts)}`);
    }
    if (f.command) lines.push(`    $ ${f.command}`);
    lines.push('');
  }
  return lines.join('\n');
}

function snapshotText(s: DiagnosticsSnapshot): string {
  const out: string[] = [];
  const st = s.usb.status;
  out.push(`${text.usb}: ${st.backend}, ${st.available ? 'available' : `not available (${st.problem?.code ?? ''}: ${st.problem?.message ?? ''})`}`);
  out.push(`${text.devices}: ${s.usb.devices.length}`);
  for (const d of s.usb.devices) {
    out.push(
      `  ${d.vidPid}  ${[d.manufacturer, d.product].filter(Boolean).join(' ') || '-'}  serial ${d.serialNumber ?? '-'}  class ${d.deviceClass}  family ${d.family ?? text.noFamily}  path ${d.path}  ${text.access[d.access]}`,
    );
  }
  out.push(fill(text.serialPorts, { count: s.serialPorts.length }));
  if (s.probe) {
    for (const a of s.probe.attempts) out.push(`  probe ${a.protocol} ${formatLine(a.line)}: ${text.outcomes[a.outcome]} (${a.bytesIn} bytes, ${a.framesOk} frames)`);
  }
  return out.join('\n') + '\n';
}

async function readSettings(dataDir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as unknown;
  } catch {
    return null; // no settings yet (first run) or unreadable: the bundle says null
  }
}

export function diagnoseCommand(deps: DiagnoseDeps = {}): Command {
  return defineCommand({
    name: 'diagnose',
    summary: 'check the meter cable and USB access; --bundle FILE writes a support bundle',
    usage: USAGE,
    options: { probe: { type: 'boolean' }, bundle: { type: 'string' }, minutes: { type: 'string', default: '10' }, json: { type: 'boolean' } },
    async run({ values }, io) {
      const minutes = wholeNumber(values.minutes, 'minutes', 0, 60);
      const root = projectRoot();
      const dataDir = defaultDataDir(io.env);
      const backend = deps.backend ? deps.backend() : new NodeUsbBackend();
      const discovery = new MeterDiscovery({ backend });
      const settings = await readSettings(dataDir);
      const frameLog = new FrameLog();
      const errors = new RecentErrors();
      const service = new DiagnosticsService({
        usb: usbListingFromBackend(backend, discovery),
        serialPorts: deps.serialPorts ?? (() => listOsSerialPorts()),
        frameLog,
        recentErrors: errors,
        prober: new DetectProber({
          openPort: async (id) => {
            const devices = await backend.getDevices();
            const d = devices.find((x) => (id ? discovery.describe(x).id === id : discovery.describe(x).family !== null));
            if (!d) throw new WattletError('METER_DEVICE_NOT_FOUND', 'No meter adapter is plugged in', { attached: devices.length });
            return usbSerialPort(d);
          },
          detect: detectMeter,
          tap: frameLog,
          ...(deps.detectOptions ? { options: deps.detectOptions } : {}),
        }),
        appInfo: () => ({ name: 'Wattlet', version: appVersion(root), host: 'cli', platform: `${process.platform}-${process.arch}`, nodeVersion: process.versions.node, dataDir }),
        settings: () => settings,
        udevRulePath: deps.udevRulePath ?? join(root, 'resources', 'udev', '99-wattlet.rules'),
        bundleDir: join(dataDir, 'support'),
        ...(deps.platform ? { platform: deps.platform } : {}),
      });
      try {
        if (values.probe) {
          const { done } = service.probes.start(null);
          await done;
        }
        const snapshot = await service.snapshot();
        const result = await service.findings(snapshot);
        if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n');
        else io.stdout(`${text.header}\n\n${snapshotText(snapshot)}\n${text.findings}:\n${findingsText(result.findings)}`);
        if (values.bundle) {
          const written = await service.writeBundle(values.bundle, { frameMinutes: minutes });
          io.stderr(fill(text.bundleWritten, { file: written.file, bytes: written.bytes, sha256: written.sha256 }) + '\n');
        }
        return result.blocking ? EXIT_BLOCKING : 0;
      } finally {
        await service.dispose();
        await discovery.dispose();
        await backend.dispose();
      }
    },
  });
}

export const diagnose = diagnoseCommand();
