import { randomUUID } from 'node:crypto';
import { WattletError } from '../../api/errors.js';
import type { HistoryStore } from '../store.js';
import { importCsv, parseMapping, type CsvImportReport } from './csv-import.js';
import type { CsvMappingInput } from './mapping.js';

/**
 * An import the window sends in pieces: the file is read in the renderer a slice at a time and
 * each slice's text arrives as one message (the browser host takes at most 1 MiB per message),
 * so a file of any size streams through `importCsv` without being held whole anywhere. A chunk
 * is answered once its lines have been read (back-pressure: the window never runs ahead of the
 * store), and progress goes out as an event after each. Cancel stops at the next record: what
 * was read before stays stored (importing the same file again counts it as duplicates).
 */
export interface ImportProgress {
  readonly importId: string;
  /** Bytes of the file whose lines have been read, of `totalBytes`. */
  readonly doneBytes: number;
  readonly totalBytes: number;
  /** Lines of the file read so far (the header included). */
  readonly lines: number;
  readonly state: 'running' | 'done' | 'cancelled' | 'failed';
}

export interface ImportChunkAnswer extends ImportProgress {
  /** Once the last chunk is read, or after a cancel: what was stored. */
  readonly report: (CsvImportReport & { readonly cancelled: boolean }) | null;
}

export interface CsvImportSessionsOptions {
  readonly store: HistoryStore;
  readonly onProgress: (progress: ImportProgress) => void;
  /** A session without a chunk for this long is cancelled (a window closed mid-import). */
  readonly idleMs?: number;
}

const IDLE_MS = 120_000;
const MAX_SESSIONS = 2;
/** How long a finished import's answer can still be asked for. */
const FINISHED_KEEP_MS = 10 * 60_000;

/** Lines of the chunks pushed so far, as an async iterable the importer reads. */
class LineFeed implements AsyncIterable<string> {
  #lines: string[] = [];
  #pos = 0;
  #partial = '';
  #ended = false;
  #wake: (() => void) | null = null;
  #drained: Array<() => void> = [];
  /** Lines handed to the importer. */
  taken = 0;

  push(text: string, last: boolean): Promise<void> {
    const parts = (this.#partial + text).split('\n');
    this.#partial = last ? '' : parts.pop()!;
    if (last && parts.length && parts.at(-1) === '') parts.pop();
    this.#lines = this.#lines.slice(this.#pos).concat(parts);
    this.#pos = 0;
    if (last) this.#ended = true;
    const drained = new Promise<void>((ok) => this.#drained.push(ok));
    this.#wake?.();
    return drained;
  }

  /** No more lines (a cancel): the importer's loop ends, and whoever waits for a drain goes on. */
  end(): void {
    this.#ended = true;
    this.#lines = [];
    this.#pos = 0;
    this.#wake?.();
    this.#release();
  }

  #release(): void {
    const waiting = this.#drained;
    this.#drained = [];
    for (const ok of waiting) ok();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (;;) {
      if (this.#pos < this.#lines.length) {
        this.taken++;
        yield this.#lines[this.#pos++]!.replace(/^\uFEFF/, '');
        continue;
      }
      // Everything pushed has been read (the previous line's record is done): the chunk is drained.
      this.#release();
      if (this.#ended) return;
      await new Promise<void>((ok) => (this.#wake = ok));
      this.#wake = null;
    }
  }
}

interface Session {
  readonly id: string;
  readonly feed: LineFeed;
  readonly abort: AbortController;
  readonly totalBytes: number;
  doneBytes: number;
  state: ImportProgress['state'];
  readonly result: Promise<CsvImportReport>;
  report: CsvImportReport | null;
  error: unknown;
  timer: ReturnType<typeof setTimeout> | null;
}

export class CsvImportSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #options: CsvImportSessionsOptions;

  constructor(options: CsvImportSessionsOptions) {
    this.#options = options;
  }

  /** Starts an import through `mapping` (checked now, before any chunk); answers its id. */
  begin(mappingInput: CsvMappingInput | Record<string, unknown>, totalBytes: number): string {
    const mapping = parseMapping(mappingInput);
    if ([...this.#sessions.values()].filter((s) => s.state === 'running').length >= MAX_SESSIONS) {
      throw new WattletError('HISTORY_IMPORT_BUSY', 'Other imports are still running', { running: MAX_SESSIONS });
    }
    const id = randomUUID();
    const feed = new LineFeed();
    const abort = new AbortController();
    const session: Session = {
      id,
      feed,
      abort,
      totalBytes,
      doneBytes: 0,
      state: 'running',
      report: null,
      error: null,
      timer: null,
      result: importCsv(this.#options.store, feed, mapping, { signal: abort.signal }),
    };
    session.result.then(
      (r) => (session.report = r),
      (e: unknown) => {
        session.error = e;
        session.state = 'failed';
        feed.end();
      },
    );
    this.#sessions.set(id, session);
    this.#touch(session);
    return id;
  }

  /** Feeds the next piece of the file; answers once its lines are read (with the report after the last). */
  async chunk(importId: string, text: string, bytes: number, last: boolean): Promise<ImportChunkAnswer> {
    const s = this.#get(importId);
    if (s.state !== 'running') return this.#answer(s);
    this.#touch(s);
    await Promise.race([s.feed.push(text, last), s.result.catch(() => undefined)]);
    if (s.error) throw s.error;
    s.doneBytes = Math.min(s.totalBytes, s.doneBytes + bytes);
    if (last) {
      await s.result;
      s.state = 'done';
      this.#finish(s);
    }
    this.#options.onProgress(this.#progress(s));
    return this.#answer(s);
  }

  /** Stops an import at the next record; answers what was stored. Unknown ids answer null. */
  async cancel(importId: string): Promise<ImportChunkAnswer | null> {
    const s = this.#sessions.get(importId);
    if (!s) return null;
    if (s.state === 'running') {
      s.abort.abort();
      s.feed.end();
      await s.result.catch(() => undefined);
      s.state = s.error ? 'failed' : 'cancelled';
      this.#finish(s);
      this.#options.onProgress(this.#progress(s));
    }
    return this.#answer(s);
  }

  dispose(): void {
    for (const s of this.#sessions.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.abort.abort();
      s.feed.end();
    }
    this.#sessions.clear();
  }

  #get(importId: string): Session {
    const s = this.#sessions.get(importId);
    if (!s) throw new WattletError('HISTORY_IMPORT_UNKNOWN', 'No such import is running', { importId });
    return s;
  }

  #touch(s: Session): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.cancel(s.id), this.#options.idleMs ?? IDLE_MS);
    s.timer.unref?.();
  }

  /** A finished session is kept a little while (its answer may be asked again), then forgotten. */
  #finish(s: Session): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => this.#sessions.delete(s.id), FINISHED_KEEP_MS);
    s.timer.unref?.();
  }

  #progress(s: Session): ImportProgress {
    return { importId: s.id, doneBytes: s.doneBytes, totalBytes: s.totalBytes, lines: s.feed.taken, state: s.state };
  }

  #answer(s: Session): ImportChunkAnswer {
    if (s.state === 'failed') throw s.error;
    const report = s.report && s.state !== 'running' ? { ...s.report, cancelled: s.state === 'cancelled' } : null;
    return { ...this.#progress(s), report };
  }
}
