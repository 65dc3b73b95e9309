import { describe, expect, it } from 'vitest';
import type { DiagUsbDevice, LinkStats, ProbeAttempt, ProbeReport, RecentError } from '../../../main/api/diagnostics.js';
import { computeFindings, hasBlocking, udevInstallCommand, type DiagnosticFacts } from '../../../main/diagnostics/findings.js';
import { LINE_8N1_115200 } from '../../../main/meter/index.js';

// These feed the rules the facts the real parts produce (discovery, the session's counters,
// detect's attempts). The integration tests produce the same facts from simulated faults.

const NOW = 1_800_000_000_000;
const RULE = '/opt/Wattlet/resources/udev/99-wattlet.rules';

function device(over: Partial<DiagUsbDevice> = {}): DiagUsbDevice {
  return {
    id: '0403:6001:A50285BI', vendorId: 0x0403, productId: 0x6001, vidPid: '0403:6001', manufacturer: 'FTDI', product: 'FT232R USB UART',
    serialNumber: 'A50285BI', deviceClass: 0, family: 'ftdi', familyReason: 'known', path: 'usb', pathReason: '', pathChoice: 'auto',
    access: 'free', accessError: null, ...over,
  };
}

function link(over: Partial<LinkStats> = {}): LinkStats {
  return {
    state: 'open', deviceId: '0403:6001:A50285BI', family: 'ftdi', path: 'usb', protocol: 'dsmr', line: LINE_8N1_115200, openedAt: NOW - 60_000,
    bytesIn: 0, bytesOut: 0, lineErrors: { overrun: 0, parity: 0, framing: 0, break: 0 }, framesOk: 0, checksumErrors: 0, framingErrors: 0,
    timeouts: 0, lastByteAt: null, lastFrameAt: null, reconnects: [], lastError: null, ...over,
  };
}

function facts(over: Partial<DiagnosticFacts> = {}): DiagnosticFacts {
  return {
    now: NOW, platform: 'linux', serialPortCount: 0, link: null, probe: null, recentErrors: [], udevRulePath: RULE,
    usb: { status: { available: true, backend: 'node-usb', problem: null }, devices: [device()], listError: null },
    ...over,
  };
}

const codes = (f: DiagnosticFacts) => computeFindings(f).map((x) => x.code);

describe('findings', () => {
  it('no USB subsystem is blocking', () => {
    const f = facts({
      usb: {
        status: { available: false, backend: 'node-usb', problem: { code: 'METER_NO_USB_SUBSYSTEM', message: '/sys/bus/usb/devices/ not found', facts: {} } },
        devices: [], listError: null,
      },
    });
    const out = computeFindings(f);
    expect(out[0]).toMatchObject({ code: 'NO_USB_SUBSYSTEM', severity: 'blocking' });
    expect(hasBlocking(out)).toBe(true);
  });

  it('permission denied names the exact udev command with the installed rule path', () => {
    const err = { code: 'METER_PERMISSION_DENIED', message: 'no permission', facts: { deviceId: '0403:6001:A50285BI' } };
    const out = computeFindings(facts({ usb: { status: { available: true, backend: 'x', problem: null }, devices: [device({ access: 'permission-denied', accessError: err })], listError: null } }));
    const p = out.find((x) => x.code === 'PERMISSION_DENIED')!;
    expect(p.severity).toBe('blocking');
    expect(p.command).toBe(`sudo cp ${RULE} /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger`);
    expect(p.deviceId).toBe('0403:6001:A50285BI');
  });

  it('permission denied on macOS or Windows gives no Linux command', () => {
    const out = computeFindings(facts({ platform: 'darwin', usb: { status: { available: true, backend: 'x', problem: null }, devices: [device({ access: 'permission-denied' })], listError: null } }));
    expect(out.find((x) => x.code === 'PERMISSION_DENIED')!.command).toBeNull();
  });

  it('quotes a rule path with spaces', () => {
    expect(udevInstallCommand("/home/a b/it's/99-wattlet.rules")).toBe(`sudo cp '/home/a b/it'\\''s/99-wattlet.rules' /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger`);
  });

  it('a recent permission error for the device also counts when access was not checked', () => {
    const e: RecentError = { at: NOW - 1000, source: 'meter.session', error: { code: 'METER_PERMISSION_DENIED', message: '', facts: { deviceId: '0403:6001:A50285BI' } } };
    expect(codes(facts({ recentErrors: [e], usb: { status: { available: true, backend: 'x', problem: null }, devices: [device({ access: 'unknown' })], listError: null } }))).toContain('PERMISSION_DENIED');
    // …but not an hour-old one.
    expect(codes(facts({ recentErrors: [{ ...e, at: NOW - 3_600_000 }], usb: { status: { available: true, backend: 'x', problem: null }, devices: [device({ access: 'unknown' })], listError: null } }))).not.toContain('PERMISSION_DENIED');
  });

  it('interface claimed by a kernel driver is blocking and names the driver', () => {
    const err = { code: 'METER_INTERFACE_CLAIMED', message: 'busy', facts: { driver: 'ftdi_sio' } };
    const out = computeFindings(facts({ usb: { status: { available: true, backend: 'x', problem: null }, devices: [device({ access: 'claimed', accessError: err })], listError: null } }));
    expect(out.find((x) => x.code === 'INTERFACE_CLAIMED')).toMatchObject({ severity: 'blocking', facts: { driver: 'ftdi_sio', vidPid: '0403:6001' } });
  });

  it('unplugged: the link\'s adapter is gone from the listing', () => {
    const out = computeFindings(facts({ link: link({ state: 'reconnecting', lastError: { code: 'METER_DEVICE_GONE', message: '', facts: {} } }), usb: { status: { available: true, backend: 'x', problem: null }, devices: [], listError: null } }));
    expect(out.find((x) => x.code === 'UNPLUGGED')?.severity).toBe('blocking');
  });

  it('no adapter at all', () => {
    expect(codes(facts({ usb: { status: { available: true, backend: 'x', problem: null }, devices: [device({ family: null, vidPid: '1d6b:0002' })], listError: null } }))).toEqual(['NO_ADAPTER']);
  });

  it('no data at 115200 8N1 points at the P1 port', () => {
    const out = computeFindings(facts({ link: link() }));
    expect(out[0]).toMatchObject({ code: 'NO_DATA_P1', severity: 'blocking', facts: { line: '115200 8N1', seconds: 60 } });
  });

  it('no data is not reported before the threshold', () => {
    expect(codes(facts({ link: link({ openedAt: NOW - 5_000 }) }))).not.toContain('NO_DATA_P1');
  });

  it('no data at another speed is generic; with timeouts the meter does not answer', () => {
    expect(codes(facts({ link: link({ protocol: 'iec62056-21', line: { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 } }) }))).toContain('NO_DATA');
    expect(codes(facts({ link: link({ protocol: 'dlt645', timeouts: 5, line: { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 } }) }))).toContain('NO_ANSWER');
  });

  it('checksum errors on every telegram: wrong speed or faulty cable', () => {
    const out = computeFindings(facts({ link: link({ bytesIn: 9000, checksumErrors: 9, lastByteAt: NOW }) }));
    expect(out[0]).toMatchObject({ code: 'CHECKSUM_EVERY_FRAME', severity: 'blocking', facts: { checksumErrors: 9 } });
  });

  it('some checksum errors among good frames: a warning with the share', () => {
    const out = computeFindings(facts({ link: link({ bytesIn: 90000, framesOk: 90, checksumErrors: 10, lastFrameAt: NOW - 1000, lastByteAt: NOW }) }));
    expect(out.find((x) => x.code === 'CHECKSUM_SOME')).toMatchObject({ severity: 'warning', facts: { percent: 10 } });
    expect(codes(facts({ link: link({ bytesIn: 90000, framesOk: 999, checksumErrors: 1, lastFrameAt: NOW - 1000 }) }))).toEqual(['LINK_OK']);
  });

  it('wrong speed: bytes with UART framing errors and no frame, with the setting the probe found', () => {
    const probe: ProbeReport = {
      probeId: 'p', deviceId: null, state: 'done', startedAt: NOW - 30_000, finishedAt: NOW - 1000, attempts: [], error: null,
      found: { protocol: 'dsmr', line: { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 } },
    };
    const out = computeFindings(facts({ probe, link: link({ bytesIn: 5000, lineErrors: { overrun: 0, parity: 40, framing: 200, break: 0 }, framingErrors: 2 }) }));
    expect(out[0]).toMatchObject({ code: 'WRONG_SPEED', severity: 'blocking', facts: { suggestedLine: '9600 7E1', line: '115200 8N1' } });
  });

  it('reconnects: three within fifteen minutes warn of a loose cable', () => {
    const reconnects = [NOW - 600_000, NOW - 300_000, NOW - 10_000].map((at) => ({ at, reason: 'METER_DEVICE_GONE' }));
    const out = computeFindings(facts({ link: link({ bytesIn: 1000, framesOk: 10, lastFrameAt: NOW - 1000, reconnects }) }));
    expect(out.find((x) => x.code === 'RECONNECTS')).toMatchObject({ severity: 'warning', facts: { count: 3 } });
  });

  it('a stalled link and a healthy link', () => {
    expect(codes(facts({ link: link({ bytesIn: 1000, framesOk: 10, lastFrameAt: NOW - 300_000 }) }))).toContain('LINK_STALLED');
    expect(codes(facts({ link: link({ bytesIn: 1000, framesOk: 10, lastFrameAt: NOW - 1000 }) }))).toEqual(['LINK_OK']);
  });

  it('no link with an adapter present is information only', () => {
    const out = computeFindings(facts());
    expect(out).toEqual([expect.objectContaining({ code: 'NO_LINK', severity: 'info' })]);
    expect(hasBlocking(out)).toBe(false);
  });

  it('probe outcomes: found, or nothing at any setting', () => {
    const attempt = (outcome: ProbeAttempt['outcome'], bytesIn: number): ProbeAttempt => ({
      index: 0, protocol: 'dsmr', line: LINE_8N1_115200, outcome, startedAt: NOW, durationMs: 1, bytesIn, framesOk: 0, checksumErrors: 0, framingErrors: 0, error: null,
    });
    const base = { probeId: 'p', deviceId: null, startedAt: NOW, finishedAt: NOW, error: null } as const;
    expect(computeFindings(facts({ probe: { ...base, state: 'done', attempts: [attempt('ok', 10)], found: { protocol: 'dsmr', line: LINE_8N1_115200 } } })).map((x) => x.code)).toContain('PROBE_FOUND');
    const none = computeFindings(facts({ probe: { ...base, state: 'done', attempts: [attempt('no-data', 0)], found: null } }));
    expect(none[0]).toMatchObject({ code: 'PROBE_NOTHING', severity: 'blocking', facts: { anyBytes: false, tried: 'dsmr 115200 8N1' } });
  });

  it('most serious first', () => {
    const out = computeFindings(facts({ link: link({ bytesIn: 1000, framesOk: 10, lastFrameAt: NOW - 300_000, reconnects: [1, 2, 3].map((i) => ({ at: NOW - i, reason: null })) }), usb: { status: { available: true, backend: 'x', problem: null }, devices: [device({ id: 'other', access: 'permission-denied' }), device()], listError: null } }));
    const sev = out.map((x) => x.severity);
    expect(sev).toEqual([...sev].sort((a, b) => ['blocking', 'warning', 'info', 'ok'].indexOf(a) - ['blocking', 'warning', 'info', 'ok'].indexOf(b)));
    expect(sev[0]).toBe('blocking');
  });
});

describe('findings after a fix', () => {
  it('a live access check that passes beats an older permission error', () => {
    const e: RecentError = { at: NOW - 1000, source: 'meter.session', error: { code: 'METER_PERMISSION_DENIED', message: '', facts: { deviceId: '0403:6001:A50285BI' } } };
    expect(codes(facts({ recentErrors: [e] }))).not.toContain('PERMISSION_DENIED');
  });
});
