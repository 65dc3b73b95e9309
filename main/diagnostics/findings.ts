import type {
  DiagUsbDevice,
  Finding,
  FindingSeverity,
  LinkStats,
  ProbeReport,
  RecentError,
  UsbSnapshot,
} from '../api/diagnostics.js';
import type { ErrorFacts } from '../api/errors.js';
import { formatLine } from '../meter/index.js';

/**
 * Everything the rules look at. Gathered by the service (or fed directly by tests for faults
 * the simulators cannot produce); the rules themselves touch nothing.
 */
export interface DiagnosticFacts {
  readonly now: number;
  /** process.platform of the machine the adapter is plugged into. */
  readonly platform: string;
  readonly usb: UsbSnapshot;
  /** How many OS serial ports exist (the second path), 0 when unknown. */
  readonly serialPortCount: number;
  readonly link: LinkStats | null;
  readonly probe: ProbeReport | null;
  readonly recentErrors: readonly RecentError[];
  /** Absolute path of the shipped 99-wattlet.rules, for the exact install command. */
  readonly udevRulePath: string;
}

export interface FindingThresholds {
  /** An open link with no byte for this long is "no data" (DSMR 4 sends every 10 s, DSMR 5 every 1 s). */
  readonly noDataAfterMs: number;
  /** Checksum errors with no good frame before we call it "every telegram". */
  readonly minFailedFrames: number;
  /** Share of bad frames that is worth a warning even when most are good. */
  readonly warnErrorRatio: number;
  /** Reconnects within `reconnectWindowMs` that point at a loose cable. */
  readonly reconnectsWarn: number;
  readonly reconnectWindowMs: number;
  /** Data stopped after having flowed. */
  readonly stalledAfterMs: number;
  /** Errors older than this no longer produce findings (they stay in the bundle). */
  readonly errorMemoryMs: number;
}

export const defaultThresholds: FindingThresholds = {
  noDataAfterMs: 30_000,
  minFailedFrames: 3,
  warnErrorRatio: 0.05,
  reconnectsWarn: 3,
  reconnectWindowMs: 15 * 60_000,
  stalledAfterMs: 60_000,
  errorMemoryMs: 30 * 60_000,
};

/** Every finding code, so the i18n tables and tests can check they cover all of them. */
export const findingCodes = [
  'NO_USB_SUBSYSTEM',
  'USB_UNAVAILABLE',
  'PERMISSION_DENIED',
  'INTERFACE_CLAIMED',
  'UNPLUGGED',
  'NO_ADAPTER',
  'UNSUPPORTED_ADAPTER',
  'NO_DATA_P1',
  'NO_DATA',
  'NO_ANSWER',
  'CHECKSUM_EVERY_FRAME',
  'CHECKSUM_SOME',
  'WRONG_SPEED',
  'TIMEOUTS_SOME',
  'RECONNECTS',
  'LINK_STALLED',
  'LINK_OK',
  'NO_LINK',
  'PROBE_FOUND',
  'PROBE_NOTHING',
] as const;
export type FindingCode = (typeof findingCodes)[number];

/** The rule file ships inside the app; the command must name it by absolute path, not relative. */
export function udevInstallCommand(rulePath: string): string {
  const quoted = /^[\w./+-]+$/.test(rulePath) ? rulePath : `'${rulePath.replace(/'/g, `'\\''`)}'`;
  return `sudo cp ${quoted} /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger`;
}

const severityOrder: Record<FindingSeverity, number> = { blocking: 0, warning: 1, info: 2, ok: 3 };

function finding(
  code: FindingCode,
  severity: FindingSeverity,
  facts: ErrorFacts,
  extra: { command?: string | null; deviceId?: string | null } = {},
): Finding {
  return { code, severity, facts, command: extra.command ?? null, deviceId: extra.deviceId ?? null };
}

function deviceLabel(d: DiagUsbDevice): string {
  return [d.vidPid, d.product ?? d.manufacturer].filter(Boolean).join(' ');
}

function errorDeviceId(e: RecentError): string | null {
  const f = e.error.facts;
  const v = f['deviceId'] ?? f['device'] ?? null;
  return typeof v === 'string' ? v : null;
}

/** Was this error about that device? Errors that name no device count for every adapter. */
function concerns(e: RecentError, d: DiagUsbDevice): boolean {
  const id = errorDeviceId(e);
  return id === null || id === d.id || id === d.vidPid;
}

function lineText(link: LinkStats | null): string {
  return link?.line ? formatLine(link.line) : '';
}

/**
 * The findings engine: pure rules from facts to plain-language findings, most serious first.
 * A finding names the code the UI translates, the facts it needs, and for blocking problems
 * what to do. Order of rules matters only for de-duplication (first one for a device wins).
 */
export function computeFindings(facts: DiagnosticFacts, thresholds: Partial<FindingThresholds> = {}): Finding[] {
  const t = { ...defaultThresholds, ...thresholds };
  const out: Finding[] = [];
  const recent = facts.recentErrors.filter((e) => facts.now - e.at <= t.errorMemoryMs);
  const { usb, link } = facts;
  const linkOpen = link !== null && link.state === 'open';
  const linkDelivering = link !== null && link.state === 'open' && link.framesOk > 0 && link.lastFrameAt !== null && facts.now - link.lastFrameAt <= t.stalledAfterMs;

  // 1. The USB subsystem itself.
  if (!usb.status.available) {
    const problem = usb.status.problem;
    const noSubsystem = problem?.code === 'METER_NO_USB_SUBSYSTEM' || usb.listError?.code === 'METER_NO_USB_SUBSYSTEM';
    // With the OS serial path delivering frames the household is fine; otherwise nothing can work.
    const severity: FindingSeverity = linkDelivering ? 'warning' : 'blocking';
    out.push(
      finding(noSubsystem ? 'NO_USB_SUBSYSTEM' : 'USB_UNAVAILABLE', severity, {
        backend: usb.status.backend,
        detail: problem?.message ?? usb.listError?.message ?? '',
        serialPorts: facts.serialPortCount,
      }),
    );
  }

  // 2. Per device: permission, claimed interface, unplugged.
  const seen = new Set<string>();
  const perDevice = (d: DiagUsbDevice, code: FindingCode, severity: FindingSeverity, f: ErrorFacts, command: string | null = null) => {
    const key = `${code}|${d.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(finding(code, severity, { device: deviceLabel(d), vidPid: d.vidPid, platform: facts.platform, ...f }, { command, deviceId: d.id }));
  };
  const permissionCommand = facts.platform === 'linux' ? udevInstallCommand(facts.udevRulePath) : null;
  for (const d of usb.devices) {
    if (d.family === null) continue;
    // A live check ('free', 'in-use') beats an older error: the person may have fixed it since.
    const unchecked = d.access === 'unknown';
    const permission = d.access === 'permission-denied' || (unchecked && recent.some((e) => e.error.code === 'METER_PERMISSION_DENIED' && concerns(e, d)));
    if (permission) perDevice(d, 'PERMISSION_DENIED', 'blocking', { family: d.family }, permissionCommand);
    const claimedError = d.accessError?.code === 'METER_INTERFACE_CLAIMED' ? d.accessError : recent.find((e) => e.error.code === 'METER_INTERFACE_CLAIMED' && concerns(e, d))?.error;
    if (d.access === 'claimed' || (unchecked && claimedError)) {
      const driver = claimedError?.facts['driver'] ?? claimedError?.facts['kernelDriver'] ?? null;
      perDevice(d, 'INTERFACE_CLAIMED', 'blocking', { family: d.family, driver: typeof driver === 'string' ? driver : '' });
    }
  }
  for (const e of recent) {
    if (e.error.code !== 'METER_UNSUPPORTED_ADAPTER') continue;
    const key = `UNSUPPORTED_ADAPTER|${errorDeviceId(e) ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(finding('UNSUPPORTED_ADAPTER', 'warning', { device: errorDeviceId(e) ?? '', detail: e.error.message }, { deviceId: errorDeviceId(e) }));
  }

  // Unplugged: the link's adapter is no longer listed, or the session lost it and has not got it back.
  if (link && link.deviceId && usb.status.available) {
    const present = usb.devices.find((d) => d.id === link.deviceId);
    const lostNow = link.lastError?.code === 'METER_DEVICE_GONE' && link.state !== 'open';
    if ((!present || present.access === 'gone' || lostNow) && link.state !== 'idle') {
      const lastGone = [...recent].reverse().find((e) => e.error.code === 'METER_DEVICE_GONE');
      out.push(
        finding(
          'UNPLUGGED',
          'blocking',
          { device: link.deviceId, family: link.family ?? '', since: lastGone?.at ?? link.reconnects.at(-1)?.at ?? null },
          { deviceId: link.deviceId },
        ),
      );
    }
  } else if (usb.status.available) {
    for (const d of usb.devices) if (d.access === 'gone') perDevice(d, 'UNPLUGGED', 'blocking', { family: d.family ?? '', since: null });
  }

  // 3. No adapter at all.
  const adapters = usb.devices.filter((d) => d.family !== null);
  if (usb.status.available && adapters.length === 0 && facts.serialPortCount === 0 && !linkOpen) {
    out.push(finding('NO_ADAPTER', 'blocking', { usbDevices: usb.devices.length }));
  }

  // 4. The link: bytes, frames, checksums, timeouts. A session between reconnects ('reconnecting')
  // still tells what the last connection saw.
  const linkActive = link !== null && (link.state === 'open' || link.state === 'reconnecting');
  if (link && linkActive) {
    const line = lineText(link);
    const openFor = link.openedAt === null ? 0 : facts.now - link.openedAt;
    const failed = link.checksumErrors + link.framingErrors;
    const uartErrors = link.lineErrors.framing + link.lineErrors.parity;
    const base = { line, protocol: link.protocol ?? '', family: link.family ?? '', seconds: Math.round(openFor / 1000) };
    const probeLine = facts.probe?.found && link.line && formatLine(facts.probe.found.line) !== line ? facts.probe.found : null;
    const suggestion = probeLine ? { suggestedLine: formatLine(probeLine.line), suggestedProtocol: probeLine.protocol } : { suggestedLine: '', suggestedProtocol: '' };
    // Push meters (DSMR, SML) only talk; for them a "timeout" is the session's silence limit.
    const push = link.protocol === null || link.protocol === 'dsmr' || link.protocol === 'sml';
    const silent = link.bytesIn === 0 && link.framesOk === 0 && (openFor >= t.noDataAfterMs || link.timeouts > 0);

    if (silent) {
      if (!push && link.timeouts > 0) {
        out.push(finding('NO_ANSWER', 'blocking', { ...base, timeouts: link.timeouts }, { deviceId: link.deviceId }));
      } else {
        // DSMR P1 is the one push protocol at 115200 8N1: silence there usually means the port is off.
        const p1 = link.protocol === 'dsmr' || line === '115200 8N1';
        out.push(finding(p1 ? 'NO_DATA_P1' : 'NO_DATA', 'blocking', base, { deviceId: link.deviceId }));
      }
    } else if (link.framesOk === 0 && link.checksumErrors >= t.minFailedFrames) {
      out.push(finding('CHECKSUM_EVERY_FRAME', 'blocking', { ...base, checksumErrors: link.checksumErrors, ...suggestion }, { deviceId: link.deviceId }));
    } else if (link.framesOk === 0 && link.bytesIn >= 64 && (uartErrors > 0 || link.framingErrors >= t.minFailedFrames)) {
      // Bytes arrive but never form a frame, and the UART or the decoder sees broken characters:
      // the two ends disagree on speed or format.
      out.push(
        finding('WRONG_SPEED', 'blocking', { ...base, bytesIn: link.bytesIn, uartErrors, framingErrors: link.framingErrors, ...suggestion }, { deviceId: link.deviceId }),
      );
    } else if (link.framesOk > 0 && failed > 0 && failed / (failed + link.framesOk) >= t.warnErrorRatio) {
      out.push(
        finding(
          'CHECKSUM_SOME',
          'warning',
          { ...base, checksumErrors: link.checksumErrors, framingErrors: link.framingErrors, framesOk: link.framesOk, percent: Math.round((100 * failed) / (failed + link.framesOk)) },
          { deviceId: link.deviceId },
        ),
      );
    }
    if (link.framesOk > 0 && link.timeouts > 0 && link.timeouts / (link.timeouts + link.framesOk) >= 0.1) {
      out.push(finding('TIMEOUTS_SOME', 'warning', { ...base, timeouts: link.timeouts, framesOk: link.framesOk }, { deviceId: link.deviceId }));
    }
    if (link.state === 'open' && link.framesOk > 0 && !linkDelivering && link.lastFrameAt !== null) {
      out.push(finding('LINK_STALLED', 'warning', { ...base, lastFrameAt: link.lastFrameAt, secondsAgo: Math.round((facts.now - link.lastFrameAt) / 1000) }, { deviceId: link.deviceId }));
    }
  }
  if (link) {
    const recentReconnects = link.reconnects.filter((r) => facts.now - r.at <= t.reconnectWindowMs);
    if (recentReconnects.length >= t.reconnectsWarn) {
      out.push(
        finding(
          'RECONNECTS',
          'warning',
          { count: recentReconnects.length, minutes: Math.round(t.reconnectWindowMs / 60_000), lastAt: recentReconnects.at(-1)!.at },
          { deviceId: link.deviceId },
        ),
      );
    }
  }

  // 5. The last auto-probe.
  const probe = facts.probe;
  if (probe && probe.state !== 'running') {
    if (probe.found) {
      out.push(finding('PROBE_FOUND', 'ok', { protocol: probe.found.protocol, line: formatLine(probe.found.line), attempts: probe.attempts.length }, { deviceId: probe.deviceId }));
    } else if (probe.state === 'done' && probe.attempts.length > 0) {
      const anyBytes = probe.attempts.some((a) => a.bytesIn > 0);
      out.push(
        finding(
          'PROBE_NOTHING',
          'blocking',
          { attempts: probe.attempts.length, anyBytes, tried: probe.attempts.map((a) => `${a.protocol} ${formatLine(a.line)}`).join(', ') },
          { deviceId: probe.deviceId },
        ),
      );
    }
  }

  // 6. All is well, or nothing is running.
  const hasBlocking = out.some((f) => f.severity === 'blocking');
  if (link && linkOpen && linkDelivering && !out.some((f) => f.severity === 'blocking' || f.severity === 'warning')) {
    out.push(finding('LINK_OK', 'ok', { line: lineText(link), protocol: link.protocol ?? '', framesOk: link.framesOk, family: link.family ?? '' }, { deviceId: link.deviceId }));
  }
  if ((!link || link.state === 'idle' || link.state === 'closed') && !hasBlocking && (adapters.length > 0 || facts.serialPortCount > 0)) {
    out.push(finding('NO_LINK', 'info', { adapters: adapters.length, serialPorts: facts.serialPortCount }));
  }

  return out.sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
}

export function hasBlocking(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'blocking');
}
