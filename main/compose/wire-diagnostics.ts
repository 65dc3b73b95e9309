import type { OsSerialPortInfo } from '../api/meter.js';
import { createDiagnostics } from '../diagnostics/create-diagnostics.js';
import { listOsSerialPorts } from '../meter/serial/os-serial-ports.js';
import type { MeterWiring } from './wire-meter.js';
import type { WireContext } from './wire-context.js';

/** Diagnostics over the meter pipeline: USB tree, the session's link, frame log, auto-probe, bundle. */
export function wireDiagnostics(
  ctx: WireContext,
  meter: MeterWiring,
  deps: {
    appInfo: () => Record<string, unknown>;
    sections?: () => Promise<Record<string, unknown>>;
    chooseSavePath?: (suggestedName: string) => Promise<string | null>;
    serialPorts?: () => Promise<readonly OsSerialPortInfo[]>;
  },
) {
  const diagnostics = createDiagnostics({
    backend: meter.backend,
    discovery: meter.discovery,
    session: meter.session,
    sessionDeviceId: meter.deviceId,
    openDevice: meter.openDevice,
    serialPorts: deps.serialPorts ?? (() => listOsSerialPorts()),
    bus: ctx.bus,
    appInfo: deps.appInfo,
    settings: () => ctx.settings.current,
    ...(deps.sections ? { sections: deps.sections } : {}),
    dataDir: ctx.dataDir,
    root: ctx.root,
    ...(deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {}),
    onListenerError: (error) => ctx.logger.error('a diagnostics listener failed', { error }),
  });
  ctx.disposables.add(diagnostics);
  return diagnostics;
}
