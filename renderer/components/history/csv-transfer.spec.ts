import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../test/fixtures/history/temp-store.js';
import { composedApp, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { CHUNK_BYTES, CsvTransfer } from './csv-transfer.svelte.js';

// The History page's export and import over the app as composeServices builds it: the desktop
// app's save dialog (the chooseSavePath port) or the browser host's download, and a file sent
// in slices with the main process's progress events.
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
const samples = simulate({ meter: 'E0025000123456789', from: utc(2025, 3, 1), to: utc(2025, 3, 8), stepMs: 60_000 });

describe('CsvTransfer', () => {
  let desktop: ComposedApp;
  let browser: ComposedApp;
  const chosen = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-export-')), 'picked.csv');
  const asked: string[] = [];
  // An endpoint that answers nothing: no demo chain is played (history needs none).
  const noChain = { settingsOverrides: { rpcUrl: 'http://127.0.0.1:9' } };
  beforeAll(async () => {
    desktop = await composedApp({ ...noChain, host: 'electron', chooseSavePath: async (name) => (asked.push(name), chosen) });
    desktop.services.history.append(samples);
    browser = await composedApp(noChain);
  });
  afterAll(async () => {
    await desktop?.dispose();
    await browser?.dispose();
    fs.rmSync(path.dirname(chosen), { recursive: true, force: true });
  });

  it('in the desktop app, saves the range where the save dialog says', async () => {
    const csv = new CsvTransfer(desktop.api, () => {
      throw new Error('the desktop app does not download');
    });
    const stop = csv.start();
    try {
      await until(() => csv.host !== null);
      expect(csv.host).toBe('electron');
      expect(await csv.exportRange(utc(2025, 3, 2), utc(2025, 3, 3), 'wattlet-readings-2025-03-02_2025-03-02.csv')).toBe(true);
      expect(asked).toEqual(['wattlet-readings-2025-03-02_2025-03-02.csv']);
      expect(csv.exported).toEqual({ rows: 1440, file: chosen, truncated: false, how: 'saved' });
      expect(fs.readFileSync(chosen, 'utf8').trim().split('\n')).toHaveLength(1441);
    } finally {
      stop();
    }
  });

  it('in the browser host, downloads it; another window previews and imports it in slices with progress', async () => {
    const downloads: Array<{ name: string; text: string }> = [];
    const out = new CsvTransfer(desktop.api, (name, text) => downloads.push({ name, text }));
    out.host = 'browser';
    expect(await out.exportRange(utc(2025, 3, 1), utc(2025, 3, 8), 'week.csv')).toBe(true);
    expect(downloads[0]!.name).toBe('week.csv');
    const text = downloads[0]!.text;
    expect(text.length).toBeGreaterThan(3 * CHUNK_BYTES);

    const into = new CsvTransfer(browser.api);
    const stop = into.start();
    try {
      await into.choose(new File([text], 'week.csv', { type: 'text/csv' }));
      expect(into.preview?.source).toBe('wattlet-readings');
      expect(into.preview?.rows[0]?.values?.ts).toBe(samples[0]!.ts);
      const seen: number[] = [];
      const off = browser.api.on('history.importProgress', (p) => seen.push(p.doneBytes));
      expect(await into.importFile()).toBe(true);
      off();
      expect(into.report).toMatchObject({ records: samples.length, inserted: samples.length, rejected: 0, cancelled: false });
      expect(into.progress).toMatchObject({ doneBytes: text.length, totalBytes: text.length });
      expect(seen.length).toBe(Math.ceil(text.length / CHUNK_BYTES));
      expect([...browser.services.history.store.readings(0, utc(2026, 1, 1))]).toEqual(samples);
    } finally {
      stop();
    }
  });

  it('previews again through a changed mapping and says which column is missing', async () => {
    const into = new CsvTransfer(browser.api);
    await into.choose(new File(['when,kwh\n2025-03-01 00:00,1.5\n'], 'x.csv'));
    expect(into.preview?.source).toBe('guessed');
    expect(into.mapping).toMatchObject({ timestamp: { column: 'when' }, import: { column: 'kwh', unit: 'kWh' } });
    await into.reviewMapping({ ...into.mapping!, import: { column: 'energy', unit: 'kWh' } });
    expect(into.preview?.missingColumns).toEqual(['energy']);
  });
});
