import { appendFileSync, chmodSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotationOptions {
  /** Size at which the file is rolled to `.1`. */
  readonly maxBytes: number;
  /** Rolled files kept (`.1` newest … `.keep` oldest); older ones are dropped. */
  readonly keep: number;
}

/**
 * An append-only file with a size cap: when a line would take it past `maxBytes`, the file
 * becomes `.1`, `.1` becomes `.2` … and `.keep` is dropped, so the log's disk use is bounded by
 * (keep + 1) × maxBytes whatever floods it. Created 0600 in a 0700 folder: only its user reads it.
 */
export class RotatingFile {
  #size: number;

  constructor(
    readonly file: string,
    readonly options: RotationOptions,
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.#size = sizeOf(file);
    // A file from an older version may have been created 0644.
    if (this.#size >= 0) chmodSync(file, 0o600);
    this.#size = Math.max(this.#size, 0);
  }

  /** Appends; throws what the file system throws (the logger decides what a failed write means). */
  append(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.#size > 0 && this.#size + bytes > this.options.maxBytes) {
      // Another process writing the same log may have rolled it already.
      const actual = sizeOf(this.file);
      if (actual > 0 && actual + bytes > this.options.maxBytes) this.#roll();
      this.#size = Math.max(sizeOf(this.file), 0);
    }
    appendFileSync(this.file, text, { mode: 0o600 });
    this.#size += bytes;
  }

  #roll(): void {
    const { keep } = this.options;
    for (let i = keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
    }
    if (keep >= 1) renameSync(this.file, `${this.file}.1`);
    else renameSync(this.file, `${this.file}.old`);
    this.#size = 0;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}
