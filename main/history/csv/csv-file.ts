import fs from 'node:fs';
import { WattletError } from '../../api/errors.js';

/**
 * CSV lines (header first) written to a file the person chose, a buffer at a time; at most
 * `maxRows` rows after the header (the CLI exports more). A failure says which file and why.
 */
export async function writeCsvFile(file: string, lines: Iterable<string>, maxRows: number): Promise<{ file: string; rows: number; bytes: number; truncated: boolean }> {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'w', 0o644);
    let rows = -1;
    let bytes = 0;
    let truncated = false;
    let buffer: string[] = [];
    const flush = (): void => {
      const data = Buffer.from(buffer.join(''), 'utf8');
      fs.writeSync(fd!, data);
      bytes += data.length;
      buffer = [];
    };
    for (const line of lines) {
      if (rows >= maxRows) {
        truncated = true;
        break;
      }
      buffer.push(`${line}\n`);
      rows++;
      if (buffer.length >= 10_000) flush();
    }
    flush();
    fs.fsyncSync(fd);
    return { file, rows: Math.max(0, rows), bytes, truncated };
  } catch (e) {
    throw new WattletError('HISTORY_EXPORT_WRITE_FAILED', `Could not write ${file}`, { file, reason: e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e) });
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
