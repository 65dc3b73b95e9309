import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedFtdi } from '../../../main/meter/sim/adapters/simulated-ftdi.js';
import { SimulatedUsbBackend } from '../../../main/meter/sim/adapters/simulated-usb-backend.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import { composedApp, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { bundleSections, type BundleFile } from './bundle-file.js';
import { DiagnosticsStore } from './diagnostics-store.svelte.js';

// The Diagnostics page's store over the app as composeServices builds it, on a simulated USB bus
// with one FTDI cable on a DSMR 5 meter: the same bytes and control requests a real cable gives.
describe('DiagnosticsStore', () => {
  let app: ComposedApp;
  let meter: SimulatedDsmrMeter;

  beforeAll(async () => {
    const backend = new SimulatedUsbBackend();
    const cable = new SimulatedFtdi({ serialNumber: 'FTSTORE01' });
    meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100, equipmentId: 'E0025000999888777' });
    cable.connectMeter(meter);
    backend.plug(cable);
    // No chain is needed here: an endpoint that answers nothing keeps demo mode's from starting.
    app = await composedApp({ settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' }, parts: { usbBackend: backend, serialPorts: async () => [] } });
  });
  afterAll(async () => {
    meter?.detach();
    await app?.dispose();
  });

  it('refreshes: the USB tree with the cable and its family, and the findings, "checking" meanwhile', async () => {
    const store = new DiagnosticsStore(app.api);
    const refreshing = store.refresh();
    expect(store.activity.loading).toBe(true);
    expect(await refreshing).toBe(true);
    expect(store.activity.loading).toBe(false);
    expect(store.snapshot?.usb.devices).toMatchObject([{ vidPid: '0403:6001', family: 'ftdi' }]);
    expect(store.findings?.findings.length).toBeGreaterThan(0);
    expect(store.activity.error).toBeNull();
  });

  it('runs the auto-probe: attempts arrive as progress, the meter is found, and the findings say so', async () => {
    const store = new DiagnosticsStore(app.api);
    const stop = store.watch();
    try {
      await store.refresh();
      expect(await store.startProbe(null)).toBe(true);
      expect(store.probe?.state).toBe('running');
      // A second probe while one runs is the main process's to refuse, with its code.
      expect(await store.startProbe(null)).toBe(false);
      expect(store.activity.error).toMatchObject({ code: 'DIAG_PROBE_BUSY' });
      await until(() => store.probe?.state === 'done', 30_000);
      expect(store.probe?.found).toMatchObject({ protocol: 'dsmr', line: { baudRate: 115200 } });
      expect(store.probe!.attempts.length).toBeGreaterThan(0);
      // The end of the probe reads the snapshot and the findings again.
      await until(() => store.findings?.findings.some((f) => f.code === 'PROBE_FOUND') ?? false);
      expect(store.activity.error).toBeNull();
    } finally {
      stop();
    }
  }, 60_000);

  it('holds frames back while paused and shows them, in order, when resumed', async () => {
    const store = new DiagnosticsStore(app.api);
    const stop = store.watch();
    try {
      await store.loadFrames();
      const before = store.frames.length;
      store.togglePause();
      const probing = await store.startProbe(null);
      expect(probing).toBe(true);
      await until(() => store.pending.length > 0, 30_000);
      expect(store.frames.length).toBe(before);
      const held = store.pending.map((f) => f.seq);
      store.togglePause();
      expect(store.pending).toEqual([]);
      expect(store.frames.slice(-held.length).map((f) => f.seq)).toEqual(held);
      await until(() => store.probe?.state !== 'running', 30_000);
    } finally {
      stop();
    }
  }, 60_000);

  it('previews the redacted bundle; in the browser host, saving downloads exactly that object (gzip), named and hashed as a saved file would be', async () => {
    const downloads: BundleFile[] = [];
    const store = new DiagnosticsStore(app.api, { download: (f) => downloads.push(f) });
    expect(await store.previewBundle(5)).toBe(true);
    const preview = store.preview!;
    expect(JSON.stringify(preview.bundle)).not.toContain('FTSTORE01');
    expect(await store.saveBundle(true)).toBe(true);
    expect(downloads).toHaveLength(1);
    const file = downloads[0]!;
    expect(file.name).toMatch(/^wattlet-support-\d{4}-\d{2}-\d{2}T[\d-]+Z\.json\.gz$/);
    expect(JSON.parse(gunzipSync(file.data).toString('utf8'))).toEqual(preview.bundle);
    expect(createHash('sha256').update(file.data).digest('hex')).toBe(file.sha256);
    expect(store.saved).toEqual({ file: file.name, bytes: file.data.length, sha256: file.sha256, where: 'download' });
    // Nothing went quietly into the data folder.
    expect(existsSync(join(app.dataDir, 'support'))).toBe(false);
    // Uncompressed, the file is the main process's JSON text byte for byte.
    expect(await store.saveBundle(false)).toBe(true);
    expect(Buffer.from(downloads[1]!.data).toString('utf8')).toBe(JSON.stringify(preview.bundle, null, 2) + '\n');
    const sizes = bundleSections(preview.bundle);
    expect(sizes.bytes).toBe(preview.jsonBytes);
    expect(sizes.sections.map((x) => x.key)).toEqual(expect.arrayContaining(['frames', 'usb', 'redactions', 'format']));
  });

  it('in the desktop app, saving asks the save dialog where, writes exactly the previewed object there, and a cancelled dialog saves nothing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wattlet-bundle-'));
    let answer: string | null = join(folder, 'chosen.json.gz');
    const asked: string[] = [];
    const desktop = await composedApp({ host: 'electron', settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' }, chooseSavePath: async (name) => (asked.push(name), answer) });
    try {
      const store = new DiagnosticsStore(desktop.api, { download: () => expect.unreachable('no download in the desktop app') });
      expect(await store.previewBundle(1)).toBe(true);
      expect(await store.saveBundle(true)).toBe(true);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatch(/^wattlet-support-.*\.json\.gz$/);
      expect(store.saved).toMatchObject({ file: answer, where: 'file' });
      expect(JSON.parse(gunzipSync(readFileSync(answer!)).toString('utf8'))).toEqual(store.preview!.bundle);
      answer = null;
      expect(await store.saveBundle(true)).toBe(false);
      expect(store.activity.error).toMatchObject({ code: 'DIAG_BUNDLE_CANCELLED' });
      expect(store.saved).toBeNull();
    } finally {
      await desktop.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
