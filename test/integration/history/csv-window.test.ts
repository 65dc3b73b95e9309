import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import type { PayloadOf } from '../../../main/api/contract.js';
import { CsvImportSessions } from '../../../main/history/csv/csv-import-session.js';
import { historyHandlers } from '../../../main/history/handlers.js';
import { createHistoryService, type HistoryService } from '../../../main/history/service.js';
import { simulate } from '../../fixtures/history/temp-store.js';

// Export and import as the window does them: a save dialog (or text to download), a preview of
// the mapping, and a file sent in chunks with progress events and a cancel.
const CN = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h - 8);
const dirs: string[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

function setup(options: { chooseSavePath?: (name: string) => Promise<string | null>; idleMs?: number } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-csv-window-'));
  dirs.push(dataDir);
  const service: HistoryService = createHistoryService({ dataDir, timeZone: 'Asia/Shanghai', builtinTariffDir: path.resolve('resources/tariffs') });
  const progress: Array<PayloadOf<'history.importProgress'>> = [];
  const imports = new CsvImportSessions({ store: service.store, onProgress: (p) => progress.push(p), ...(options.idleMs ? { idleMs: options.idleMs } : {}) });
  cleanups.push(() => {
    imports.dispose();
    service.dispose();
  });
  const dispatch = createDispatcher(historyHandlers(service, { imports, ...(options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {}) }));
  const call = async <T = unknown>(channel: string, request: unknown): Promise<T> => {
    const r = await dispatch(channel, request, { host: 'browser' });
    if (!r.ok) throw Object.assign(new Error(r.error.code), { code: r.error.code, facts: r.error.facts });
    return r.result as T;
  };
  return { dataDir, service, call, progress };
}

/** The window's way: slices of at most `size` bytes, each decoded and sent, answered before the next goes. */
async function sendInChunks(call: ReturnType<typeof setup>['call'], importId: string, bytes: Buffer, size: number) {
  const decoder = new TextDecoder();
  let answer: { report: unknown; state: string } | null = null;
  for (let at = 0; at < bytes.length || at === 0; at += size) {
    const slice = bytes.subarray(at, at + size);
    const last = at + size >= bytes.length;
    answer = await call('history.importChunk', { importId, text: decoder.decode(slice, { stream: !last }), bytes: slice.length, last });
    if (last) break;
  }
  return answer!;
}

describe('CSV in the window', () => {
  it('exports readings to the file the save dialog names, and says so when the dialog is cancelled', async () => {
    let answer: string | null = null;
    const asked: string[] = [];
    const a = setup({ chooseSavePath: async (name) => (asked.push(name), answer) });
    const samples = simulate({ from: CN(2025, 3, 1), to: CN(2025, 3, 2), stepMs: 60_000 });
    a.service.append(samples);
    answer = path.join(a.dataDir, 'chosen.csv');
    const r = await a.call<{ file: string; rows: number; bytes: number }>('history.exportCsvFile', { from: CN(2025, 3, 1), to: CN(2025, 3, 2), kind: 'readings', suggestedName: 'wattlet-readings-2025-03-01.csv' });
    expect(asked).toEqual(['wattlet-readings-2025-03-01.csv']);
    const text = fs.readFileSync(answer, 'utf8');
    const inline = await a.call<{ csv: string; rows: number }>('history.exportCsv', { from: CN(2025, 3, 1), to: CN(2025, 3, 2), kind: 'readings' });
    expect(text).toBe(inline.csv);
    expect(r).toEqual({ file: answer, rows: samples.length, bytes: Buffer.byteLength(text), truncated: false });
    answer = null;
    await expect(a.call('history.exportCsvFile', { from: CN(2025, 3, 1), to: CN(2025, 3, 2), kind: 'readings', suggestedName: 'x.csv' })).rejects.toMatchObject({ code: 'HISTORY_EXPORT_CANCELLED' });
    answer = path.join(a.dataDir, 'no-such-folder', 'x.csv');
    await expect(a.call('history.exportCsvFile', { from: CN(2025, 3, 1), to: CN(2025, 3, 2), kind: 'readings', suggestedName: 'x.csv' })).rejects.toMatchObject({ code: 'HISTORY_EXPORT_WRITE_FAILED', facts: { reason: 'ENOENT' } });
    await expect(a.call('history.exportCsvFile', { from: CN(2025, 3, 1), to: CN(2025, 3, 2), kind: 'readings', suggestedName: '../x.csv' })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    const browser = setup();
    await expect(browser.call('history.exportCsvFile', { from: CN(2025, 3, 1), to: CN(2025, 3, 2), kind: 'readings', suggestedName: 'x.csv' })).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
  });

  it('previews a file: Wattlet’s own export as it is, another tool’s with a guessed mapping, and each record’s problem', async () => {
    const { call, service } = setup();
    service.append(simulate({ from: CN(2025, 3, 1), to: CN(2025, 3, 1, 1), stepMs: 60_000 }));
    const own = await call<{ csv: string }>('history.exportCsv', { from: CN(2025, 3, 1), to: CN(2025, 3, 2), kind: 'readings' });
    const p = await call<{ source: string; columns: string[]; rows: Array<{ values: { ts: number; importWh: number } | null }> }>('history.previewCsv', { head: own.csv.slice(0, 2000) });
    expect(p.source).toBe('wattlet-readings');
    expect(p.columns).toEqual(['meter', 'timestamp', 'import_wh', 'export_wh', 'power_w']);
    expect(p.rows).toHaveLength(10);
    expect(p.rows[0]!.values).toMatchObject({ ts: CN(2025, 3, 1), meter: 'M1' });

    const other = '\uFEFFZeit;Bezug kWh;Einspeisung kWh\n2025-03-01 00:00;12,3456;0,1\n2025-03-01 00:15;zwölf;0,1\n2025-03-0';
    const g = await call<{ source: string; mapping: Record<string, unknown>; rows: Array<{ values: { ts: number; importWh: number; exportWh: number } | null; problem: { code: string; value: string } | null }> }>('history.previewCsv', { head: other });
    expect(g.source).toBe('guessed');
    expect(g.mapping).toMatchObject({ delimiter: ';', decimal: ',', timestamp: { column: 'Zeit' }, import: { column: 'Bezug kWh', unit: 'kWh' }, export: { column: 'Einspeisung kWh', unit: 'kWh' } });
    expect(g.rows).toHaveLength(2); // the cut-off last line is left out
    expect(g.rows[0]!.values).toMatchObject({ ts: CN(2025, 3, 1), importWh: 12_346, exportWh: 100, rounded: 1 });
    expect(g.rows[1]!.problem).toMatchObject({ code: 'number', value: 'zwölf' });
    const wrong = await call<{ missingColumns: string[] }>('history.previewCsv', { head: other, mapping: { ...g.mapping, import: { column: 'Import', unit: 'kWh' } } });
    expect(wrong.missingColumns).toEqual(['Import']);
  });

  it('imports a 2.5 MB file sent in 128 KiB chunks with rising progress, as the single-message import would', async () => {
    const a = setup();
    const samples = simulate({ from: CN(2025, 3, 1), to: CN(2025, 4, 1), stepMs: 60_000 }); // 44,640 readings
    a.service.append(samples);
    const { csv } = await a.call<{ csv: string }>('history.exportCsv', { from: 0, to: CN(2026, 1, 1), kind: 'readings' });
    const bytes = Buffer.from(`\uFEFF${csv}`, 'utf8');
    expect(bytes.length).toBeGreaterThan(2_000_000);

    const b = setup();
    const { importId } = await b.call<{ importId: string }>('history.importBegin', { totalBytes: bytes.length });
    const answer = (await sendInChunks(b.call, importId, bytes, 128 * 1024)) as { state: string; doneBytes: number; report: { records: number; inserted: number; rejected: number; cancelled: boolean } };
    expect(answer).toMatchObject({ state: 'done', doneBytes: bytes.length, report: { records: samples.length, inserted: samples.length, rejected: 0, cancelled: false } });
    expect([...b.service.store.readings(0, CN(2026, 1, 1))]).toEqual(samples);
    const mine = b.progress.filter((p) => p.importId === importId);
    expect(mine.length).toBe(Math.ceil(bytes.length / (128 * 1024)));
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.doneBytes).toBeGreaterThan(mine[i - 1]!.doneBytes);
    expect(mine.at(-1)).toMatchObject({ state: 'done', doneBytes: bytes.length, totalBytes: bytes.length, lines: samples.length + 1 });
    // The chunks after it are refused by name: the import is over.
    await expect(b.call('history.importChunk', { importId: 'nope', text: '', bytes: 0, last: true })).rejects.toMatchObject({ code: 'HISTORY_IMPORT_UNKNOWN' });
  });

  it('stops at a cancel, keeps what it read, and a second import of the same file adds only the rest', async () => {
    const a = setup();
    const samples = simulate({ from: CN(2025, 3, 1), to: CN(2025, 3, 15), stepMs: 60_000 });
    a.service.append(samples);
    const { csv } = await a.call<{ csv: string }>('history.exportCsv', { from: 0, to: CN(2026, 1, 1), kind: 'readings' });
    const bytes = Buffer.from(csv, 'utf8');

    const b = setup();
    const { importId } = await b.call<{ importId: string }>('history.importBegin', { totalBytes: bytes.length });
    const size = 64 * 1024;
    for (let at = 0; at < 3 * size; at += size) await b.call('history.importChunk', { importId, text: bytes.subarray(at, at + size).toString('utf8'), bytes: size, last: false });
    const cancelled = await b.call<{ state: string; report: { cancelled: boolean; inserted: number; records: number } }>('history.importCancel', { importId });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.report.cancelled).toBe(true);
    const kept = [...b.service.store.readings(0, CN(2026, 1, 1))];
    expect(kept.length).toBe(cancelled.report.inserted);
    expect(kept.length).toBeGreaterThan(1000);
    expect(kept.length).toBeLessThan(samples.length);
    expect(kept).toEqual(samples.slice(0, kept.length));
    expect(b.progress.at(-1)).toMatchObject({ importId, state: 'cancelled' });
    // A chunk after the cancel is answered with the cancelled state, and nothing more is read.
    const late = await b.call<{ state: string }>('history.importChunk', { importId, text: bytes.subarray(3 * size, 4 * size).toString('utf8'), bytes: size, last: false });
    expect(late.state).toBe('cancelled');
    expect([...b.service.store.readings(0, CN(2026, 1, 1))].length).toBe(kept.length);

    const again = await b.call<{ importId: string }>('history.importBegin', { totalBytes: bytes.length });
    const done = (await sendInChunks(b.call, again.importId, bytes, 128 * 1024)) as { report: { inserted: number; duplicates: number } };
    expect(done.report.inserted).toBe(samples.length - kept.length);
    expect(done.report.duplicates).toBe(kept.length);
    expect([...b.service.store.readings(0, CN(2026, 1, 1))]).toEqual(samples);
  });

  it('refuses a file without the mapped columns at its first chunk, stores nothing and keeps answering', async () => {
    const { call, service } = setup();
    const { importId } = await call<{ importId: string }>('history.importBegin', { totalBytes: 40, mapping: { timestamp: { column: 'when' }, import: { column: 'kwh', unit: 'kWh' } } });
    await expect(call('history.importChunk', { importId, text: 'time,kwh\n2025-03-01 00:00,1\n', bytes: 28, last: true })).rejects.toMatchObject({ code: 'HISTORY_CSV_MAPPING_INVALID' });
    expect([...service.store.readings(0, CN(2026, 1, 1))]).toEqual([]);
    await expect(call('history.importBegin', { totalBytes: 1, mapping: { import: { column: 'x' } } })).rejects.toMatchObject({ code: 'HISTORY_CSV_MAPPING_INVALID' });
    const ok = await call<{ importId: string }>('history.importBegin', { totalBytes: 10, mapping: { timestamp: { column: 'time', format: 'local' }, import: { column: 'kwh', unit: 'kWh' } } });
    const r = await call<{ report: { inserted: number } }>('history.importChunk', { importId: ok.importId, text: 'time,kwh\n2025-03-01 00:00,1\n', bytes: 28, last: true });
    expect(r.report.inserted).toBe(1);
  });

  it('cancels an import the window left (no chunk within the idle time)', async () => {
    const { call, progress } = setup({ idleMs: 200 });
    const { importId } = await call<{ importId: string }>('history.importBegin', { totalBytes: 100 });
    await call('history.importChunk', { importId, text: 'meter,timestamp,import_wh,export_wh,power_w\nM1,2025-03-01T00:00:00Z,1,,\n', bytes: 72, last: false });
    await new Promise((ok) => setTimeout(ok, 600));
    expect(progress.at(-1)).toMatchObject({ importId, state: 'cancelled' });
    const answer = await call<{ report: { inserted: number; cancelled: boolean } }>('history.importCancel', { importId });
    expect(answer.report).toMatchObject({ inserted: 1, cancelled: true });
  });
});
