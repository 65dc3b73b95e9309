import { machineContext, Redactor, type RedactionContext } from '../redaction/index.js';
import type { Logger } from './logger.js';
import { RotatingFile } from './rotating-file.js';

export interface FileLoggerOptions {
  /** Also hand each written (redacted) line here, e.g. to the terminal. */
  readonly echo?: ((line: string) => void) | null;
  /** Size at which the log is rolled (default 2 MiB). */
  readonly maxBytes?: number;
  /** Rolled files kept (default 4): the log takes at most (keep + 1) × maxBytes. */
  readonly keep?: number;
  /** Default: this machine's names, under the 'local-log' policy. */
  readonly redaction?: RedactionContext;
  readonly now?: () => number;
}

export const DEFAULT_LOG_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 4;

/**
 * Appends one JSON line per entry to the log file, rolled by size. Every entry passes through the
 * app's one redactor first (the same the support bundle uses): a secret that slips into a message
 * or a fact (recovery words, a key, a token, RPC credentials, a LAN address) never reaches the disk.
 */
export class FileLogger implements Logger {
  readonly #file: RotatingFile;
  readonly #redactor: Redactor;
  readonly #echo: ((line: string) => void) | null;
  readonly #now: () => number;

  constructor(
    readonly file: string,
    options: FileLoggerOptions = {},
  ) {
    this.#file = new RotatingFile(file, { maxBytes: options.maxBytes ?? DEFAULT_LOG_MAX_BYTES, keep: options.keep ?? DEFAULT_LOG_KEEP });
    this.#redactor = new Redactor({ ...machineContext(), policy: 'local-log', ...options.redaction });
    this.#echo = options.echo ?? null;
    this.#now = options.now ?? Date.now;
  }

  #write(level: string, message: string, facts?: Record<string, unknown>): void {
    const line = this.#line(level, message, facts);
    try {
      this.#file.append(`${line}\n`);
    } catch {
      // Logging must never take the app down (disk full, folder removed).
    }
    this.#echo?.(line);
  }

  #line(level: string, message: string, facts?: Record<string, unknown>): string {
    const at = new Date(this.#now()).toISOString();
    let plain: unknown;
    try {
      plain = JSON.parse(JSON.stringify({ at, level, message, ...facts }, errorReplacer));
    } catch {
      // A cycle or a throwing getter in the facts: keep the message, say the facts were lost.
      plain = { at, level, message, facts: 'unserialisable' };
    }
    return JSON.stringify(this.#redactor.entry(plain));
  }

  info(message: string, facts?: Record<string, unknown>): void {
    this.#write('info', message, facts);
  }
  warn(message: string, facts?: Record<string, unknown>): void {
    this.#write('warn', message, facts);
  }
  error(message: string, facts?: Record<string, unknown>): void {
    this.#write('error', message, facts);
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const coded = value as Error & { code?: unknown; facts?: unknown };
    return { name: value.name, message: value.message, code: coded.code, facts: coded.facts, stack: value.stack };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
