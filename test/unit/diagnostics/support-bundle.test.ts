import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiagnosticsSnapshot } from '../../../main/api/diagnostics.js';
import { buildSupportBundle, bundleJson, writeSupportBundle } from '../../../main/diagnostics/support-bundle.js';
import { FrameLog } from '../../../main/diagnostics/frame-log.js';
import { LINE_8N1_115200 } from '../../../main/meter/index.js';

// Every kind of secret and locating fact, planted where the real parts put them. The scan below
// checks none of them survives in the bundle, in any encoding support could decode.
const PLANTED = {
  mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
  privateKey: '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318',
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJob3VzZWhvbGQifQ.c2lnbmF0dXJlLXNlY3JldA',
  apiKey: '9aa3d95b3bc440fa88ea12eaa4456161',
  rpcPassword: 'Hunter2Secret',
  address: '0x52908400098527886E0F7030069857D2E4169EE7',
  label: 'Oma Jansen solar roof',
  meterSerial: 'K8EG004046395507', // the DSMR fixture's 0-0:96.1.1, sent as hex of ASCII
  adapterSerial: 'A50285BI',
  user: 'jdevries',
  host: 'jdevries-thinkpad',
  ip: '192.168.178.23',
  street: 'Kerkstraat 12',
  geo: '52.09074, 5.12142',
};

const forms = (s: string) => [s, s.toLowerCase(), s.toUpperCase(), Buffer.from(s).toString('hex'), Buffer.from(s).toString('hex').toUpperCase()];

function scan(json: string): string[] {
  const leaks: string[] = [];
  for (const [name, secret] of Object.entries(PLANTED)) {
    const candidates = name === 'privateKey' ? [secret, secret.toUpperCase()] : name === 'mnemonic' ? [secret, 'sausage worth useful'] : forms(secret);
    for (const c of candidates) if (json.includes(c)) leaks.push(`${name}: ${c}`);
  }
  // The serial also travels as spaced hex bytes in the frame dump.
  const spaced = Buffer.from(PLANTED.meterSerial).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  if (json.includes(spaced)) leaks.push('meterSerial as frame hex');
  const spacedHexOfHex = Buffer.from(Buffer.from(PLANTED.meterSerial).toString('hex').toUpperCase()).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  if (json.includes(spacedHexOfHex)) leaks.push('meterSerial as DSMR frame hex');
  return leaks;
}

function plantedInput() {
  const dsmr = readFileSync(new URL('../../fixtures/protocols/dsmr-v5.txt', import.meta.url));
  const log = new FrameLog({ now: () => 1_800_000_000_000 });
  log.onFrame({ direction: 'in', bytes: dsmr, at: 1_800_000_000_000 - 1000, protocol: 'dsmr', ok: true, decoded: `reading meter ${PLANTED.meterSerial}: 1.8.1=4426 Wh` });
  // A DL/T 645 reply whose address is a 12-digit meter number.
  log.onFrame({ direction: 'in', bytes: Uint8Array.from([0x68, 0x07, 0x95, 0x04, 0x46, 0x00, 0x00, 0x68, 0x91, 0x00, 0x00, 0x16]), at: 1_800_000_000_000 - 500, protocol: 'dlt645', ok: true, decoded: 'reading meter 000046049507: 1.8.0=1 Wh' });
  const deviceId = `0403:6001:${PLANTED.adapterSerial}`;
  const snapshot: DiagnosticsSnapshot = {
    takenAt: 1_800_000_000_000,
    usb: {
      status: { available: true, backend: 'simulated', problem: null },
      devices: [
        {
          id: deviceId, vendorId: 0x0403, productId: 0x6001, vidPid: '0403:6001', manufacturer: 'FTDI', product: 'FT232R USB UART', serialNumber: PLANTED.adapterSerial,
          deviceClass: 0, family: 'ftdi', familyReason: '0403:6001 is a known ftdi adapter', path: 'usb', pathReason: '', pathChoice: 'auto', access: 'in-use', accessError: null,
        },
      ],
      listError: null,
    },
    serialPorts: [{ path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', vidPid: '0403:6001', serialNumber: PLANTED.adapterSerial }],
    link: {
      state: 'open', deviceId, family: 'ftdi', path: 'usb', protocol: 'dsmr', line: LINE_8N1_115200, openedAt: 1, bytesIn: 1, bytesOut: 0,
      lineErrors: { overrun: 0, parity: 0, framing: 0, break: 0 }, framesOk: 1, checksumErrors: 0, framingErrors: 0, timeouts: 0, lastByteAt: 1, lastFrameAt: 1, reconnects: [],
      lastError: null,
    },
    probe: null,
    recentErrors: [
      { at: 1, source: 'wallet', error: { code: 'WALLET_LOCKED', message: `unlock failed for ${PLANTED.address} (${PLANTED.label})`, facts: { account: PLANTED.address } } },
      { at: 2, source: 'ledger', error: { code: 'LEDGER_RPC_FAILED', message: `POST https://user:${PLANTED.rpcPassword}@rpc.example.org/v3/${PLANTED.apiKey} from ${PLANTED.ip}`, facts: { file: `/home/${PLANTED.user}/.config/Wattlet/x.db` } } },
      { at: 3, source: 'meter.session', error: { code: 'METER_PERMISSION_DENIED', message: `open ${deviceId}`, facts: { deviceId } } },
    ],
    frameLog: { count: 2, bytes: 0, windowMs: 600_000, latestSeq: 1 },
  };
  return {
    createdAt: 1_800_000_000_000,
    app: { name: 'Wattlet', version: '0.1.0', host: 'cli', dataDir: `/home/${PLANTED.user}/.config/Wattlet`, hostname: PLANTED.host },
    os: { platform: 'linux', release: '6.8.0' },
    snapshot,
    findings: [{ code: 'LINK_OK', severity: 'ok' as const, facts: { line: '115200 8N1' }, command: null, deviceId }],
    frames: log.query(),
    frameMinutes: 10,
    settings: {
      language: 'en',
      rpcUrl: `https://admin:${PLANTED.rpcPassword}@rpc.example.org/v3/${PLANTED.apiKey}`,
      contractAddress: PLANTED.address,
      smartyKey: 'AAAABBBBCCCCDDDDEEEEFFFF00001111',
      note: `backup: ${PLANTED.mnemonic}`,
    },
    sections: {
      wallet: { accounts: [{ label: PLANTED.label, address: PLANTED.address.toLowerCase() }], mnemonic: PLANTED.mnemonic, exported: `0x${PLANTED.privateKey}` },
      household: { street: PLANTED.street, location: PLANTED.geo, note: `roof at ${PLANTED.geo}`, session: `Bearer ${PLANTED.token}` },
      ledger: { apiToken: PLANTED.token, node: `http://${PLANTED.ip}:8545` },
    },
    meterIds: [PLANTED.meterSerial],
  };
}

describe('support bundle', () => {
  const ctx = { homeDir: `/home/${PLANTED.user}`, userName: PLANTED.user, hostName: PLANTED.host };
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds none of the planted secrets or locating facts, in any encoding', () => {
    const { bundle } = buildSupportBundle(plantedInput(), ctx);
    const json = bundleJson(bundle);
    expect(scan(json)).toEqual([]);
    // And it is still useful: structure, counters, the readings' values and the provider's host.
    expect(bundle['format']).toBe('wattlet-support-bundle/1');
    expect(json).toContain('1-0:1.8.1(000004.426*kWh)');
    expect(json).toContain('rpc.example.org');
    expect(json).toContain('0403:6001');
    expect(json).toContain('METER_PERMISSION_DENIED');
  });

  it('hashes the meter and adapter serials consistently across sections', () => {
    const { bundle } = buildSupportBundle(plantedInput(), ctx);
    const usb = bundle['usb'] as { devices: Array<{ id: string; serialNumber: string }> };
    const link = bundle['link'] as { deviceId: string };
    const hash = usb.devices[0]!.serialNumber;
    expect(hash).toMatch(/^id#/);
    expect(usb.devices[0]!.id).toBe(`0403:6001:${hash}`);
    expect(link.deviceId).toBe(`0403:6001:${hash}`);
    const frames = bundle['frames'] as Array<{ decoded: string; hex: string }>;
    expect(frames[0]!.decoded).toMatch(/^reading meter id#[0-9a-f]{10}: /);
  });

  it('counts what it redacted, by kind', () => {
    const { counts } = buildSupportBundle(plantedInput(), ctx);
    for (const kind of ['secret', 'address', 'label', 'identifier', 'url-credentials', 'user-path', 'ip', 'frame-bytes', 'location']) {
      expect(counts[kind as keyof typeof counts], kind).toBeGreaterThan(0);
    }
  });

  it('keeps only the last minutes of frames', () => {
    const input = plantedInput();
    const { bundle } = buildSupportBundle({ ...input, frameMinutes: 0 }, ctx);
    expect(bundle['frames']).toEqual([]);
  });

  it('writes JSON or gzip, owner-readable only, and the file is the previewed object', async () => {
    const { bundle } = buildSupportBundle(plantedInput(), ctx);
    const gz = await writeSupportBundle(bundle, join(dir, 'b.json.gz'), true);
    const text = gunzipSync(readFileSync(gz.file)).toString('utf8');
    expect(JSON.parse(text)).toEqual(bundle);
    expect(scan(text)).toEqual([]);
    expect(gz.sha256).toMatch(/^[0-9a-f]{64}$/);
    const plain = await writeSupportBundle(bundle, join(dir, 'sub', 'b.json'), false);
    expect(JSON.parse(readFileSync(plain.file, 'utf8'))).toEqual(bundle);
    if (process.platform !== 'win32') expect((await import('node:fs')).statSync(plain.file).mode & 0o777).toBe(0o600);
  });

  it('reports a write it could not do as DIAG_BUNDLE_WRITE_FAILED', async () => {
    const { bundle } = buildSupportBundle(plantedInput(), ctx);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'a-file'), 'x');
    await expect(writeSupportBundle(bundle, join(dir, 'a-file', 'nope.json'), false)).rejects.toMatchObject({ code: 'DIAG_BUNDLE_WRITE_FAILED' });
  });
});
