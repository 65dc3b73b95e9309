import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactText } from './redact-text.js';

export interface Logger {
  info(message: string, facts?: Record<string, unknown>): void;
  warn(message: string, facts?: Record<string, unknown>): void;
  error(message: string, facts?: Record<string, unknown>): void;
}

/**
 * Appends one JSON line per entry to the log file. Every line passes through redactText first:
 * a secret that slips into a message (a key, a mnemonic, a token) never reaches the disk.
 */
export class FileLogger implements Logger {
  constructor(
    readonly file: string,
    private readonly echo: ((line: string) => void) | null = null,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  #write(level: string, message: string, facts?: Record<string, unknown>): void {
    const line = redactText(JSON.stringify({ at: new Date().toISOString(), level, message, ...facts }, errorReplacer));
    try {
      appendFileSync(this.file, `${line}\n`);
    } catch {
      // Logging must never take the app down (disk full, folder removed).
    }
    this.echo?.(line);
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
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
