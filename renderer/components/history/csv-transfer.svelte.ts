import type { PayloadOf, ResponseOf, WattletApi } from '../../../main/api/contract.js';
import { Activity } from '../../lib/activity.svelte.js';
import { browserDownload } from '../../lib/browser-download.js';

export type CsvPreview = ResponseOf<'history.previewCsv'>;
export type ImportReport = NonNullable<ResponseOf<'history.importChunk'>['report']>;
type Progress = PayloadOf<'history.importProgress'>;
type Level = 'quarter' | 'hour' | 'day' | 'month';

/** A mapping as the Import form edits it (the main process's csv/mapping.ts checks it). */
export interface MappingDraft {
  kind: 'readings' | 'intervals';
  delimiter: ',' | ';' | '\t' | '|';
  decimal: '.' | ',';
  header: boolean;
  timestamp: { column: string | number; format: 'iso' | 'local' | 'epoch-ms' | 'epoch-s' };
  intervalMinutes: number;
  import: { column: string | number; unit: 'Wh' | 'kWh' | 'MWh' };
  export?: { column: string | number; unit: 'Wh' | 'kWh' | 'MWh' } | undefined;
  power?: { column: string | number; unit: 'W' | 'kW' } | undefined;
  meter: { column: string | number } | { value: string };
}

/** Bytes per message: a slice of the file decodes to at most this much text, far below the host's 1 MiB. */
export const CHUNK_BYTES = 128 * 1024;
/** What the preview reads of a file. */
const HEAD_BYTES = 64 * 1024;

/**
 * Export and import of the History page. Export: the range the chart shows, written where the
 * person chooses (desktop app: a save dialog) or downloaded (browser host). Import: the first
 * lines previewed through a mapping the person can change, then the file sent a slice at a time
 * (the main process answers each once read), with progress and a stop.
 */
export class CsvTransfer {
  readonly exporting = new Activity<'export'>();
  readonly importing = new Activity<'import'>();
  /** 'electron' saves through a dialog; 'browser' downloads. */
  host = $state<'electron' | 'browser' | 'cli' | null>(null);
  exportKind = $state<'readings' | 'intervals'>('readings');
  exportLevel = $state<Level>('quarter');
  exported = $state<{ rows: number; file: string; truncated: boolean; how: 'saved' | 'downloaded' } | null>(null);

  file = $state<File | null>(null);
  preview = $state<CsvPreview | null>(null);
  mapping = $state<MappingDraft | null>(null);
  previewing = $state(false);
  previewError = $state<unknown>(null);
  progress = $state<{ doneBytes: number; totalBytes: number; lines: number } | null>(null);
  report = $state<ImportReport | null>(null);
  #importId: string | null = null;
  #stop = false;
  #head = '';
  #previewSeq = 0;
  readonly #api: WattletApi;
  readonly #download: (name: string, text: string) => void;

  constructor(api: WattletApi, download: (name: string, text: string) => void = (name, text) => browserDownload(name, text, 'text/csv;charset=utf-8')) {
    this.#api = api;
    this.#download = download;
  }

  /** Learns the host (which way an export goes) and follows import progress; returns the stop. */
  start(): () => void {
    this.#api.invoke('app.info', {}).then(
      (i) => (this.host = i.host),
      () => (this.host = 'browser'),
    );
    return this.#api.on('history.importProgress', (p: Progress) => {
      if (p.importId === this.#importId && p.state === 'running') this.progress = { doneBytes: p.doneBytes, totalBytes: p.totalBytes, lines: p.lines };
    });
  }

  exportRange(from: number, to: number, suggestedName: string): Promise<boolean> {
    return this.exporting.run('export', async () => {
      this.exported = null;
      const request = { from, to, kind: this.exportKind, level: this.exportLevel };
      if (this.host === 'electron') {
        const r = await this.#api.invoke('history.exportCsvFile', { ...request, suggestedName });
        this.exported = { rows: r.rows, file: r.file, truncated: r.truncated, how: 'saved' };
      } else {
        const r = await this.#api.invoke('history.exportCsv', request);
        this.#download(suggestedName, r.csv);
        this.exported = { rows: r.rows, file: suggestedName, truncated: r.truncated, how: 'downloaded' };
      }
    });
  }

  /** A file was chosen: read its head and preview it with a suggested mapping. */
  async choose(file: File | null): Promise<void> {
    this.file = file;
    this.preview = null;
    this.mapping = null;
    this.report = null;
    this.progress = null;
    this.importing.error = null;
    if (!file) return;
    this.#head = await file.slice(0, HEAD_BYTES).text();
    await this.reviewMapping(undefined);
  }

  /** Preview again through `mapping` (undefined: let the main process suggest one). */
  async reviewMapping(mapping: MappingDraft | undefined): Promise<void> {
    const seq = ++this.#previewSeq;
    this.previewing = true;
    try {
      const preview = await this.#api.invoke('history.previewCsv', { head: this.#head.replace(/^\uFEFF/, ''), ...(mapping ? { mapping: mapping as unknown as Record<string, unknown> } : {}) });
      if (seq !== this.#previewSeq) return;
      this.preview = preview;
      this.previewError = null;
      if (!mapping) this.mapping = withDefaults(preview.mapping);
    } catch (e) {
      if (seq === this.#previewSeq) this.previewError = e;
    } finally {
      if (seq === this.#previewSeq) this.previewing = false;
    }
  }

  importFile(): Promise<boolean> {
    const file = this.file;
    const mapping = this.mapping;
    if (!file || !mapping) return Promise.resolve(false);
    return this.importing.run('import', async () => {
      this.report = null;
      this.#stop = false;
      this.progress = { doneBytes: 0, totalBytes: file.size, lines: 0 };
      const { importId } = await this.#api.invoke('history.importBegin', { mapping: mapping as unknown as Record<string, unknown>, totalBytes: file.size });
      this.#importId = importId;
      try {
        // Streaming decode: a character split between two slices is joined, a BOM dropped.
        const decoder = new TextDecoder('utf-8');
        for (let at = 0; ; at += CHUNK_BYTES) {
          if (this.#stop) return;
          const slice = file.slice(at, at + CHUNK_BYTES);
          const last = at + CHUNK_BYTES >= file.size;
          const text = decoder.decode(await slice.arrayBuffer(), { stream: !last });
          const answer = await this.#api.invoke('history.importChunk', { importId, text, bytes: slice.size, last });
          this.progress = { doneBytes: answer.doneBytes, totalBytes: answer.totalBytes, lines: answer.lines };
          if (answer.report) this.report = answer.report;
          if (last || answer.state !== 'running') return;
        }
      } finally {
        if (!this.#stop) this.#importId = null; // a stop clears it once the main process has answered
      }
    });
  }

  /** Stops the import at the next record; what was read stays stored. */
  async cancel(): Promise<void> {
    const id = this.#importId;
    this.#stop = true;
    if (!id) return;
    const answer = await this.#api.invoke('history.importCancel', { importId: id });
    this.#importId = null;
    if (answer?.report) this.report = answer.report;
  }
}

/** The mapping the preview used, with every field the form shows filled in. */
function withDefaults(m: Record<string, unknown>): MappingDraft {
  const d = m as Partial<MappingDraft>;
  return {
    kind: d.kind ?? 'readings',
    delimiter: d.delimiter ?? ',',
    decimal: d.decimal ?? '.',
    header: d.header ?? true,
    timestamp: { column: d.timestamp?.column ?? 0, format: d.timestamp?.format ?? 'iso' },
    intervalMinutes: d.intervalMinutes ?? 15,
    import: { column: d.import?.column ?? 1, unit: d.import?.unit ?? 'Wh' },
    export: d.export ? { column: d.export.column, unit: d.export.unit ?? 'Wh' } : undefined,
    power: d.power ? { column: d.power.column, unit: d.power.unit ?? 'W' } : undefined,
    meter: d.meter ?? { value: 'imported' },
  };
}
